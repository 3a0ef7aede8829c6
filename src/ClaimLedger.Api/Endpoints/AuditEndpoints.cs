using ClaimLedger.Common;
using ClaimLedger.Ledger;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

/// <summary>For auditors and admins: the digest, verification, inclusion proofs and reports.</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Audit).RefuseUnknownQueryParameters();
        audit.MapGet("/digest", (IMediator m, CancellationToken ct) => m.Send(new GetDigest.Query(), ct))
            .WithName("getDigest").WithSummary("Tree size and Merkle root, to keep outside the database");
        audit.MapPost("/verify", (Digest? kept, IMediator m, CancellationToken ct) => m.Send(new VerifyLedger.Query(kept), ct))
            .WithName("verifyLedger").WithSummary("Recompute every hash; send a digest kept earlier to detect rewritten history")
            .ProducesValidationProblem();
        audit.MapGet("/claims/{id}/proof", (string id, IMediator m, CancellationToken ct) => m.Send(new ProveClaim.Query(id), ct))
            .WithName("proveClaim").WithSummary("Inclusion proof of the claim's latest entry").ProducesProblem(404);
        audit.MapGet("/claims/{id}/report", async (string id, IMediator m, CancellationToken ct, string format = "json") =>
            {
                if (format is not ("json" or "md" or "html"))
                {
                    throw new RequestValidationException([new("format", $"json, md or html; got '{format}'")]);
                }

                var report = await m.Send(new AuditReport.Query(id), ct);
                return format switch
                {
                    "html" => Results.Content(AuditReportWriter.Html(report), "text/html; charset=utf-8"),
                    "md" => Results.Content(AuditReportWriter.Markdown(report), "text/markdown; charset=utf-8"),
                    _ => Results.Ok(report),
                };
            })
            .WithName("getAuditReport").WithSummary("Audit report of one claim (?format=json, md or html)")
            .Produces<AuditReport.Report>(200).Produces<string>(200, "text/markdown", "text/html")
            .ProducesValidationProblem().ProducesProblem(404);
    }
}
