using System.Security.Claims;
using ClaimLedger.Access;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

public sealed record RegisterDocumentBody(string? Id, string Publisher, string Title, DateOnly? PublishedOn, string? Url, string? Language, DocumentKind? Kind, string Text);
public sealed record CreateKeyBody(string Person, Role Role);

public static class OtherEndpoints
{
    public static void MapDocuments(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/documents").WithTags("Documents").RequireAuthorization(Policies.Read);
        read.MapGet("/", (IMediator m, CancellationToken ct) => m.Send(new ListDocuments.Query(), ct)).WithSummary("Registered documents, without their text");
        read.MapGet("/{id}", (string id, IMediator m, CancellationToken ct) => m.Send(new GetDocument.Query(id), ct))
            .WithSummary("A document with its full text and SHA-256").ProducesProblem(404);
        app.MapGroup("/documents").WithTags("Documents").RequireAuthorization(Policies.Write)
            .MapPost("/", async (RegisterDocumentBody body, HttpContext http, IMediator m) =>
            {
                var result = await m.Send(new RegisterDocument.Command(body.Id, body.Publisher, body.Title, body.PublishedOn, body.Url,
                    body.Language ?? "en", body.Kind ?? DocumentKind.Article, body.Text, WriteEndpoint.Context(http)), http.RequestAborted);
                return TypedResults.Created($"/documents/{result.DocumentId}", result);
            })
            .WithSummary("Register a document once; its text never changes").ProducesValidationProblem().ProducesProblem(409).ProducesProblem(413);
    }

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Audit).ProducesProblem(401).ProducesProblem(403);
        audit.MapGet("/digest", (IMediator m, CancellationToken ct) => m.Send(new GetDigest.Query(), ct)).WithSummary("Tree size and Merkle root, to keep outside the database");
        audit.MapPost("/verify", (Digest? kept, IMediator m, CancellationToken ct) => m.Send(new VerifyLedger.Query(kept), ct))
            .WithSummary("Recompute every hash; send a digest kept earlier to detect rewritten history");
        audit.MapGet("/claims/{id}/proof", (string id, IMediator m, CancellationToken ct) => m.Send(new ProveClaim.Query(id), ct))
            .WithSummary("Inclusion proof of the claim's latest entry").ProducesProblem(404);
        audit.MapGet("/claims/{id}/report", async (string id, IMediator m, CancellationToken ct, string format = "json") =>
            {
                var report = await m.Send(new AuditReport.Query(id), ct);
                return format switch
                {
                    "html" => Results.Content(AuditReportWriter.Html(report), "text/html; charset=utf-8"),
                    "md" => Results.Content(AuditReportWriter.Markdown(report), "text/markdown; charset=utf-8"),
                    _ => Results.Ok(report),
                };
            })
            .WithSummary("Audit report of one claim (?format=json|md|html)").ProducesProblem(404);
    }

    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Policies.Admin).ProducesProblem(401).ProducesProblem(403);
        keys.MapGet("/", async (IMediator m, CancellationToken ct) =>
            (await m.Send(new ListApiKeys.Query(), ct)).Select(k => new { k.Id, k.Person, k.Role, k.CreatedAt, k.CreatedBy, k.RevokedAt }))
            .WithSummary("Every key, without secrets");
        keys.MapPost("/", async (CreateKeyBody body, HttpContext http, IMediator m) =>
                TypedResults.Created($"/keys", await m.Send(new CreateApiKey.Command(body.Person, body.Role, http.User.FindFirstValue(ClaimTypes.Name)!), http.RequestAborted)))
            .WithSummary("Create a key; its secret is shown in this response only").ProducesValidationProblem();
        keys.MapDelete("/{id}", (string id, IMediator m, CancellationToken ct) => m.Send(new RevokeApiKey.Command(id), ct))
            .WithSummary("Revoke a key").ProducesProblem(404);
    }
}
