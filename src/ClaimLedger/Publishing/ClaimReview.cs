using System.Globalization;
using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Marten;
using MediatR;

namespace ClaimLedger.Publishing;

/// <summary>
/// schema.org ClaimReview markup for rated claims, as search engines and fact-check aggregators read it, following
/// Google's fact-check structured-data guidelines: <c>claimReviewed</c>, <c>reviewRating</c> with a textual
/// <c>alternateName</c>, and <c>url</c> (the review's own page) are required; the reviewer, the claim's author,
/// its appearances and dates are given where the ledger knows them, and never guessed. Ratings on the scale carry
/// True 5 … False 1 (<see cref="Ratings.ScaleValue"/>); Unverifiable and Opinion carry only their names.
/// <c>firstAppearance</c> is left out: the ledger knows where it found a claim, not where the claim first appeared.
/// </summary>
public static class ClaimReviews
{
    /// <summary>One review (<paramref name="ClaimId"/>) or every published one: rated and not withdrawn.</summary>
    public sealed record Query(string? ClaimId, ReviewPublishing Publishing) : IRequest<IReadOnlyList<JsonObject>>;

    public const int BestRating = 5;
    public const int WorstRating = 1;

    /// <summary>A review is published while the claim is rated and not retracted; a retraction withdraws it.</summary>
    public static bool IsPublished(Claim claim) => claim.Verdict is not null && !claim.IsRetracted;

    public sealed class Handler(IDocumentStore store, IMediator mediator) : IRequestHandler<Query, IReadOnlyList<JsonObject>>
    {
        public async Task<IReadOnlyList<JsonObject>> Handle(Query query, CancellationToken cancellationToken)
        {
            IReadOnlyList<Claim> claims;
            if (query.ClaimId is { } id)
            {
                var claim = await mediator.Send(new GetClaim.Query(id), cancellationToken);
                claims = IsPublished(claim)
                    ? [claim]
                    : throw new NotFoundException("published review of claim", $"{id}' (it has no verdict yet, or was retracted");
            }
            else
            {
                await using var session = store.QuerySession();
                claims = (await session.Query<Claim>().Where(c => c.Verdict != null && c.Status != ClaimStatus.Retracted)
                    .OrderBy(c => c.Id).ToListAsync(cancellationToken)).ToList();
            }

            var documents = await ReviewDocuments.LoadAsync(store, claims, cancellationToken);
            return claims.Select(c => Build(c, documents, query.Publishing)).ToList();
        }
    }

    public static JsonObject Build(Claim claim, IReadOnlyDictionary<string, SourceDocument> documents, ReviewPublishing publishing)
    {
        var verdict = claim.Verdict ?? throw new InvalidOperationException("Only rated claims are published.");
        var itemReviewed = new JsonObject
        {
            ["@type"] = "Claim",
            ["author"] = ClaimAuthor(claim, documents),
            ["appearance"] = new JsonArray(ReviewDocuments.Appearances(claim, documents).Select(s => (JsonNode)Work(s, documents)).ToArray()),
        };
        if (StatedDate(documents.GetValueOrDefault(claim.Appearance.DocumentId)) is { } claimed)
        {
            itemReviewed["datePublished"] = claimed;
        }

        return new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ClaimReview",
            ["url"] = publishing.PageUrl(claim.Id),
            ["claimReviewed"] = claim.Statement,
            ["itemReviewed"] = itemReviewed,
            ["author"] = new JsonObject
            {
                ["@type"] = "Organization",
                ["name"] = publishing.OrganizationName,
                ["url"] = publishing.OrganizationUrl.AbsoluteUri,
            },
            ["datePublished"] = Day(verdict.At),
            ["reviewRating"] = ReviewRating(verdict),
        };
    }

    private static JsonObject ReviewRating(Verdict verdict)
    {
        var node = new JsonObject
        {
            ["@type"] = "Rating",
            ["alternateName"] = Ratings.Label(verdict.Rating),
            ["ratingExplanation"] = verdict.Rationale,
        };
        if (Ratings.ScaleValue(verdict.Rating) is { } value)
        {
            node["ratingValue"] = value;
            node["bestRating"] = BestRating;
            node["worstRating"] = WorstRating;
        }

        return node;
    }

    /// <summary>
    /// Who made the claim: the speaker of a quote, otherwise the publisher that printed it. A copy that credits another
    /// publisher is the copy's own claim: the credit is described, never made the author.
    /// </summary>
    private static JsonObject ClaimAuthor(Claim claim, IReadOnlyDictionary<string, SourceDocument> documents)
    {
        if (claim.Value is QuoteValue quote)
        {
            return new JsonObject { ["@type"] = "Person", ["name"] = quote.Speaker };
        }

        var document = documents.GetValueOrDefault(claim.Appearance.DocumentId);
        var author = new JsonObject { ["@type"] = "Organization", ["name"] = document?.Publisher ?? claim.Appearance.Publisher };
        if (document?.AttributedTo is { } credited)
        {
            author["description"] = $"Publisher of a reworded copy attributed to {credited}";
        }

        return author;
    }

    private static JsonObject Work(ClaimSource source, IReadOnlyDictionary<string, SourceDocument> documents)
    {
        var work = new JsonObject { ["@type"] = "CreativeWork" };
        if (!documents.TryGetValue(source.DocumentId, out var document))
        {
            work["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = source.Publisher };
            return work;
        }

        work["headline"] = document.Title;
        work["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = document.Publisher };
        if (document.AttributedTo is { } credited)
        {
            // A copy that credits another publisher: the credit is published as the copy's, never as that publisher's own text.
            work["creditText"] = $"Attributed to {credited}";
        }

        if (StatedDate(document) is { } published)
        {
            work["datePublished"] = published;
        }

        if (ReviewDocuments.WebAddress(document.Url) is { } url)
        {
            work["url"] = url;
        }

        return work;
    }

    /// <summary>A document's publication date when the document states it; an inferred date is not published as fact.</summary>
    private static string? StatedDate(SourceDocument? document) =>
        document is { PublishedOn: { } on, DateInference: null } ? on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
