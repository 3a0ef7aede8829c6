using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaimLedger.Api.Endpoints;

public sealed record RecordClaimBody(string? Id, ClaimKind Kind, string Statement, Dictionary<string, string?>? Value, SourceRef Appearance);
public sealed record AttachSourceBody(SourceRef Source, Stance Stance, string? Reason);
public sealed record CorroborateBody(SourceRef Source, string? Reason);
public sealed record DisputeBody(string Reason, List<SourceRef>? Evidence);
public sealed record CorrectBody(string Field, string? NewValue, string Reason, List<SourceRef>? Evidence);
public sealed record VerdictBody(string Rating, string Rationale, List<SourceRef>? Evidence);
public sealed record RetractBody(string Reason);

/// <summary>The claims API: each endpoint builds the same MediatR request the CLI sends.</summary>
public static class ClaimEndpoints
{
    public static void MapClaims(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var read = app.MapGroup("/claims").WithTags("Claims").RequireAuthorization(Policies.Read);
        var write = app.MapGroup("/claims").WithTags("Claims").RequireAuthorization(Policies.Write)
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);

        read.MapGet("/", List).WithSummary("List and search claims").ProducesValidationProblem();
        read.MapGet("/{id}", Get).WithSummary("A claim's current state; its ETag is its version").ProducesProblem(404);
        read.MapGet("/{id}/history", (string id, IMediator m, CancellationToken ct) => m.Send(new ClaimHistory.Query(id), ct))
            .WithSummary("Every event of the claim").ProducesProblem(404);
        read.MapGet("/{id}/as-of", AsOf).WithSummary("The claim as of a version (?version=) or a time (?at=)").ProducesValidationProblem().ProducesProblem(404);
        read.MapGet("/{id}/diff", (string id, long from, long to, IMediator m, CancellationToken ct) => m.Send(new ClaimDiff.Query(id, from, to), ct))
            .WithSummary("Field-level changes between two versions").ProducesValidationProblem().ProducesProblem(404);
        read.MapGet("/{id}/replay", (string id, IMediator m, CancellationToken ct) => m.Send(new ClaimReplay.Query(id), ct))
            .WithSummary("The claim's state after each event").ProducesProblem(404);
        read.MapGet("/{id}/claimreview", async (string id, IMediator m, CancellationToken ct) =>
                TypedResults.Json((await m.Send(new ClaimReviews.Query(id, options.Publisher, options.PublicUrl), ct))[0], contentType: "application/ld+json"))
            .WithSummary("schema.org ClaimReview JSON-LD of a rated claim").ProducesProblem(404);

        write.MapPost("/", Record).WithSummary("Record a claim as it appears in a registered document");
        write.MapPost("/{id}/sources", (string id, AttachSourceBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new AttachSource.Command(id, body.Source, body.Stance, body.Reason, v, c)))
            .WithSummary("Attach a source (If-Match required)").WithPreconditions();
        write.MapPost("/{id}/corroborations", (string id, CorroborateBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new CorroborateClaim.Command(id, body.Source, body.Reason, v, c)))
            .WithSummary("Corroborate with an independent publisher's source (If-Match required)").WithPreconditions();
        write.MapPost("/{id}/disputes", (string id, DisputeBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new DisputeClaim.Command(id, body.Reason, body.Evidence ?? [], v, c)))
            .WithSummary("Dispute the claim (If-Match required)").WithPreconditions();
        write.MapPost("/{id}/corrections", (string id, CorrectBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new CorrectClaim.Command(id, body.Field, body.NewValue, body.Reason, body.Evidence ?? [], v, c)))
            .WithSummary("Correct one field, with evidence (If-Match required)").WithPreconditions();
        write.MapPost("/{id}/verdicts", (string id, VerdictBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new IssueVerdict.Command(id, ParseRating(body.Rating), body.Rationale, body.Evidence ?? [], v, c)))
            .WithSummary("Issue a verdict (If-Match required)").WithPreconditions();
        write.MapPost("/{id}/retraction", (string id, RetractBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new RetractClaim.Command(id, body.Reason, v, c)))
            .WithSummary("Retract the claim (If-Match required)").WithPreconditions();
    }

    internal static RouteHandlerBuilder WithPreconditions(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);

    private static Rating ParseRating(string? text) => Ratings.TryParse(text, out var rating)
        ? rating
        : throw new RequestValidationException([new("rating", $"one of {Ratings.Expected}; got '{text}'")]);

    private static Task<ListClaims.ClaimPage> List(
        IMediator mediator, CancellationToken ct, ClaimKind? kind = null, ClaimStatus? status = null, string? verdict = null,
        string? publisher = null, string? q = null, int page = 1, int pageSize = 20) =>
        mediator.Send(new ListClaims.Query(kind, status, verdict is null ? null : ParseRating(verdict), publisher, q, page, pageSize), ct);

    private static async Task<Ok<Claim>> Get(string id, IMediator mediator, HttpContext http)
    {
        var claim = await mediator.Send(new GetClaim.Query(id), http.RequestAborted);
        http.Response.Headers.ETag = Etag.Of(claim.Version);
        return TypedResults.Ok(claim);
    }

    private static Task<Claim> AsOf(string id, IMediator mediator, CancellationToken ct, long? version = null, DateTimeOffset? at = null) =>
        mediator.Send(new ClaimAsOf.Query(id, version, at), ct);

    private static async Task<Created<WriteResult>> Record(RecordClaimBody body, HttpContext http, IMediator mediator)
    {
        var result = await mediator.Send(new RecordClaim.Command(body.Id, body.Kind, body.Statement, body.Value ?? [], body.Appearance, WriteEndpoint.Context(http)), http.RequestAborted);
        http.Response.Headers.ETag = Etag.Of(result.Version);
        return TypedResults.Created($"/claims/{result.ClaimId}", result);
    }
}
