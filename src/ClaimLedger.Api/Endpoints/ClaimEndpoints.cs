using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaimLedger.Api.Endpoints;

public sealed record RecordClaimBody(string? Id, ClaimKind? Kind, string Statement, Dictionary<string, string?>? Value, SourceRef Appearance);
public sealed record AttachSourceBody(SourceRef Source, Stance? Stance, string? Reason);
public sealed record CorroborateBody(SourceRef Source, string? Reason);
public sealed record DisputeBody(string Reason, List<SourceRef>? Evidence);
public sealed record AmendRecordBody(string Field, string? NewValue, string Reason, SourceRef Appearance);
public sealed record FindingBody(string Field, string? Established, string Note, List<SourceRef>? Evidence);
public sealed record AttributionBody(Attribution? Result, string Note, List<SourceRef>? Evidence = null, List<string>? SourcesTried = null);
public sealed record VerdictBody(Rating? Rating, string Rationale, List<SourceRef>? Evidence = null, List<string>? SourcesTried = null);
public sealed record RetractBody(string Reason);

/// <summary>The claims API: each endpoint builds the same MediatR request the CLI sends.</summary>
public static class ClaimEndpoints
{
    public static void MapClaims(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var read = app.MapGroup("/claims").WithTags("Claims").RequireAuthorization(Policies.Read).RefuseUnknownQueryParameters();
        var write = app.MapGroup("/claims").WithTags("Claims").RequireAuthorization(Policies.Write).RefuseUnknownQueryParameters()
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);

        read.MapGet("/", List).WithName("listClaims").WithSummary("List and search claims").ProducesValidationProblem();
        read.MapGet("/{id}", Get).Produces<Claim>(200).WithName("getClaim").WithSummary("A claim's current state; its ETag is its version").ProducesProblem(404).WithMetadata(new ReturnsEtag());
        read.MapGet("/{id}/history", (string id, IMediator m, CancellationToken ct) => m.Send(new ClaimHistory.Query(id), ct))
            .WithName("getClaimHistory").WithSummary("Every event of the claim").ProducesProblem(404);
        read.MapGet("/{id}/as-of", AsOf).WithName("getClaimAsOf").WithSummary("The claim as of a version (?version=) or a time (?at=)").ProducesValidationProblem().ProducesProblem(404);
        read.MapGet("/{id}/diff", (string id, long from, long to, IMediator m, CancellationToken ct) => m.Send(new ClaimDiff.Query(id, from, to), ct))
            .WithName("diffClaim").WithSummary("Field-level changes between two versions").ProducesValidationProblem().ProducesProblem(404);
        read.MapGet("/{id}/replay", (string id, IMediator m, CancellationToken ct) => m.Send(new ClaimReplay.Query(id), ct))
            .WithName("replayClaim").WithSummary("The claim's state after each event").ProducesProblem(404);
        read.MapGet("/{id}/claimreview", async (string id, IMediator m, ReviewPublishing publishing, CancellationToken ct) =>
                TypedResults.Json((await m.Send(new ClaimReviews.Query(id, publishing), ct))[0], contentType: "application/ld+json"))
            .WithName("getClaimReview").WithSummary("schema.org ClaimReview JSON-LD of a rated claim")
            .Produces<System.Text.Json.Nodes.JsonObject>(200, "application/ld+json").ProducesProblem(404);

        write.MapPost("/", Record).WithName("recordClaim").WithSummary("Record a claim as it appears in a registered document")
            .WithMetadata(new IdempotentWrite(), new ReturnsEtag());
        write.MapPost("/{id}/sources", (string id, AttachSourceBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new AttachSource.Command(id, body.Source, body.Stance ?? Stance.Supports, body.Reason, v, c)))
            .WithName("attachSource").WithSummary("Attach a source that supports, contradicts or mentions the claim").WithPreconditions();
        write.MapPost("/{id}/corroborations", (string id, CorroborateBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new CorroborateClaim.Command(id, body.Source, body.Reason, v, c)))
            .WithName("corroborateClaim").WithSummary("Corroborate with an independent publisher's source").WithPreconditions();
        write.MapPost("/{id}/disputes", (string id, DisputeBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new DisputeClaim.Command(id, body.Reason, body.Evidence ?? [], v, c)))
            .WithName("disputeClaim").WithSummary("Dispute the claim, saying why").WithPreconditions();
        write.MapPost("/{id}/amendments", (string id, AmendRecordBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new AmendRecord.Command(id, body.Field, body.NewValue, body.Reason, body.Appearance, v, c)))
            .WithName("amendRecord").WithSummary("Amend the ledger's record of the claim where it misread the article, citing the article's text").WithPreconditions();
        write.MapPost("/{id}/findings", (string id, FindingBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new RecordFinding.Command(id, body.Field, body.Established, body.Note, body.Evidence ?? [], v, c)))
            .WithName("recordFinding").WithSummary("Record what the evidence establishes for one field; the claim as published stays as it is").WithPreconditions();
        write.MapPost("/{id}/attribution", (string id, AttributionBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new CheckAttribution.Command(id, body.Result ?? Unknown<Attribution>(), body.Note, body.Evidence ?? [], body.SourcesTried, v, c)))
            .WithName("checkAttribution").WithSummary("Record whether a quote was said as reported, apart from whether it is true").WithPreconditions();
        write.MapPost("/{id}/verdicts", (string id, VerdictBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new IssueVerdict.Command(id, body.Rating ?? Unknown<Rating>(), body.Rationale, body.Evidence ?? [], v, c, body.SourcesTried)))
            .WithName("issueVerdict").WithSummary("Issue a verdict on the claim as published; a later one supersedes it, both stay in the history").WithPreconditions();
        write.MapPost("/{id}/retraction", (string id, RetractBody body, HttpContext http, IMediator m) =>
                WriteEndpoint.SendAsync(http, m, (v, c) => new RetractClaim.Command(id, body.Reason, v, c)))
            .WithName("retractClaim").WithSummary("Retract the claim; it accepts no further writes").WithPreconditions();
    }

    /// <summary>A missing enum field is passed on as a value outside the enum, so the validator names it with every other invalid field.</summary>
    private static T Unknown<T>() where T : struct, Enum => (T)Enum.ToObject(typeof(T), LenientEnumConverter.Unknown);

    internal static RouteHandlerBuilder WithPreconditions(this RouteHandlerBuilder builder) =>
        builder.Produces<WriteResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithMetadata(new RequiresIfMatch(), new IdempotentWrite(), new ReturnsEtag());

    private static Rating? ParseRating(string? text) => text is null ? null : Ratings.TryParse(text, out var rating)
        ? rating
        : throw new RequestValidationException([new("verdict", $"one of {Ratings.Expected}; got '{text}'")]);

    private static Task<ListClaims.ClaimPage> List(
        IMediator mediator, CancellationToken ct, ClaimKind? kind = null, ClaimStatus? status = null, string? verdict = null,
        string? publisher = null, string? q = null, int page = 1, int pageSize = 20) =>
        mediator.Send(new ListClaims.Query(kind, status, ParseRating(verdict), publisher, q, page, pageSize), ct);

    /// <summary>The stored JSON goes out as it is; typed as <see cref="Claim"/> for the document.</summary>
    private static async Task<IResult> Get(string id, IMediator mediator, HttpContext http)
    {
        var claim = await mediator.Send(new GetClaimJson.Query(id), http.RequestAborted);
        http.Response.Headers.ETag = Etag.Of(claim.Version);
        return TypedResults.Bytes(claim.Json, "application/json; charset=utf-8");
    }

    private static Task<Claim> AsOf(string id, IMediator mediator, CancellationToken ct, long? version = null, DateTimeOffset? at = null) =>
        mediator.Send(new ClaimAsOf.Query(id, version, at), ct);

    private static async Task<Created<WriteResult>> Record(RecordClaimBody body, HttpContext http, IMediator mediator)
    {
        var result = await mediator.Send(new RecordClaim.Command(body.Id, body.Kind ?? Unknown<ClaimKind>(), body.Statement, body.Value ?? [], body.Appearance, WriteEndpoint.Context(http)), http.RequestAborted);
        http.Response.Headers.ETag = Etag.Of(result.Version);
        return TypedResults.Created($"/claims/{result.ClaimId}", result);
    }
}
