using ClaimLedger.Documents;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

/// <param name="Text">The full text; for a cited source, the facts it supports in the checker's words, one a line.</param>
/// <param name="DateInference">When the text does not state its date: how <paramref name="PublishedOn"/> was worked out.</param>
public sealed record RegisterDocumentBody(
    string? Id, string Publisher, string Title, DateOnly? PublishedOn, string? Url, string? Language, DocumentKind? Kind, string Text,
    DateOnly? RetrievedOn = null, string? ArchiveUrl = null, string? AttributedTo = null, string? DateInference = null);

/// <summary>Source documents: registered once by a checker, read by anyone with a key.</summary>
public static class DocumentEndpoints
{
    public static void MapDocuments(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/documents").WithTags("Documents").RequireAuthorization(Policies.Read).RefuseUnknownQueryParameters();
        read.MapGet("/", (IMediator m, CancellationToken ct) => m.Send(new ListDocuments.Query(), ct))
            .WithName("listDocuments").WithSummary("Registered documents, without their text");
        read.MapGet("/{id}", (string id, IMediator m, CancellationToken ct) => m.Send(new GetDocument.Query(id), ct))
            .WithName("getDocument").WithSummary("A document with its full text and SHA-256").ProducesProblem(404);
        app.MapGroup("/documents").WithTags("Documents").RequireAuthorization(Policies.Write).RefuseUnknownQueryParameters()
            .MapPost("/", async (RegisterDocumentBody body, HttpContext http, IMediator m) =>
            {
                var result = await m.Send(new RegisterDocument.Command(body.Id, body.Publisher, body.Title, body.PublishedOn, body.Url,
                    body.Language ?? "en", body.Kind ?? DocumentKind.Article, body.Text, WriteEndpoint.Context(http))
                {
                    RetrievedOn = body.RetrievedOn, ArchiveUrl = body.ArchiveUrl, AttributedTo = body.AttributedTo, DateInference = body.DateInference,
                }, http.RequestAborted);
                return TypedResults.Created($"/documents/{result.DocumentId}", result);
            })
            .WithName("registerDocument").WithSummary("Register a document once; its text never changes")
            .WithMetadata(new IdempotentWrite()).ProducesValidationProblem().ProducesProblem(409).ProducesProblem(413);
    }
}
