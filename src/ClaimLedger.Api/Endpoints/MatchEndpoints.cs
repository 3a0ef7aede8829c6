using ClaimLedger.Claims;
using ClaimLedger.Matching;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

public sealed record DecideMatchBody(MatchKind MatchedKind, string MatchedId, MatchDecision Decision, string Reason);

public static class MatchEndpoints
{
    public static void MapMatching(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/match").WithTags("Matching").RequireAuthorization(Policies.Read)
            .MapGet("/", (string q, IMediator m, CancellationToken ct, int top = 5, string? exclude = null) =>
                m.Send(new MatchClaims.Query(q, top, exclude), ct))
            .WithSummary("Has this been checked before? Desk claims and imported reviews that say the same as q, best first (exclude: a claim id to leave out)")
            .ProducesValidationProblem();
        app.MapGroup("/claims").WithTags("Matching").RequireAuthorization(Policies.Write)
            .MapPost("/{id}/matches", (string id, DecideMatchBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new DecideMatch.Command(id, body.MatchedKind, body.MatchedId, body.Decision, body.Reason, v, c)))
            .WithSummary("Confirm or reject a suggested match with another desk claim or a review (If-Match required)").WithPreconditions();
    }
}
