using ClaimLedger.Matching;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

public static class MatchEndpoints
{
    public static void MapMatching(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/match").WithTags("Matching").RequireAuthorization(Policies.Read)
            .MapGet("/", (string q, IMediator m, CancellationToken ct, int top = 5, string? exclude = null) =>
                m.Send(new MatchClaims.Query(q, top, exclude), ct))
            .WithSummary("Has this been checked before? Desk claims and imported reviews that say the same as q, best first (exclude: a claim id to leave out)")
            .ProducesValidationProblem();
    }
}
