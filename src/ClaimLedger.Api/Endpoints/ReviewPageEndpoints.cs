using System.Net;
using ClaimLedger.Common;
using ClaimLedger.Publishing;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

/// <summary>
/// The public review pages: read-only HTML that anyone may read without a key, at an address that stays the same for
/// the life of the claim, so search engines and readers can link to it.
/// </summary>
public static class ReviewPageEndpoints
{
    public static void MapReviewPages(this IEndpointRouteBuilder app)
    {
        // A page for people and crawlers, like /reference: not part of the JSON API's contract.
        app.MapGet("/reviews/{id}", Page).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> Page(string id, IMediator mediator, ReviewPublishing publishing, CancellationToken ct)
    {
        try
        {
            var page = await mediator.Send(new GetReviewPage.Query(id, publishing), ct);
            return Results.Content(ReviewPageHtml.Render(page), "text/html; charset=utf-8");
        }
        catch (NotFoundException)
        {
            return Results.Content(
                $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No such review</title><link rel=\"stylesheet\" href=\"/review.css\"></head>" +
                $"<body><main><h1>No such review</h1><p>No claim has the id <code>{WebUtility.HtmlEncode(id)}</code>.</p></main></body></html>\n",
                "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
    }
}
