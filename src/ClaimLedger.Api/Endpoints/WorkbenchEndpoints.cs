using ClaimLedger.Claims;
using ClaimLedger.Documents;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

public sealed record HtmlBody(string Html);
public sealed record SuggestClaimBody(string Excerpt, DateOnly? PublishedOn);
public sealed record ParseValueBody(ClaimKind Kind, Dictionary<string, string?>? Value);

/// <summary>
/// The checker's tools behind the web app's forms: they write nothing, and they answer with the server's own parsers so
/// the browser never parses HTML, amounts or dates a second way.
/// </summary>
public static class WorkbenchEndpoints
{
    public static void MapWorkbench(this IEndpointRouteBuilder app)
    {
        app.MapGet("/documents/{id}/citations", (string id, IMediator m, CancellationToken ct) => m.Send(new ClaimsCitingDocument.Query(id), ct))
            .WithTags("Documents").RequireAuthorization(Policies.Read).ProducesValidationProblem()
            .WithSummary("Every span of the document that a claim cites: appearances, sources and verdict evidence");
        var tools = app.MapGroup("/workbench").WithTags("Workbench").RequireAuthorization(Policies.Write)
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(413);
        tools.MapPost("/text-from-html", (HtmlBody body, IMediator m, CancellationToken ct) => m.Send(new TextFromHtml.Query(body.Html), ct))
            .WithSummary("The plain text a page would be registered with, and the title, publisher, date and URL it states");
        tools.MapPost("/claim-suggestion", (SuggestClaimBody body, IMediator m, CancellationToken ct) =>
                m.Send(new SuggestClaim.Query(body.Excerpt, body.PublishedOn), ct))
            .WithSummary("A kind, statement and value suggested for a selected passage, normalized as recording would");
        tools.MapPost("/claim-value", (ParseValueBody body, IMediator m, CancellationToken ct) =>
                m.Send(new ParseClaimValue.Query(body.Kind, body.Value ?? []), ct))
            .WithSummary("How the ledger reads a claim's fields, or what is wrong with them");
    }
}
