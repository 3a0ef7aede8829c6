using System.Globalization;
using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Marten;
using MediatR;

namespace ClaimLedger.Publishing;

/// <summary>
/// schema.org ClaimReview markup for rated claims, as search engines and fact-check aggregators read it.
/// Ratings map to 1 (False) … 5 (True); Unverifiable has no number, only its name.
/// </summary>
public static class ClaimReviews
{
    /// <param name="Publisher">The organisation that publishes the review.</param>
    /// <param name="BaseUrl">Where claims are published, e.g. https://factcheck.example/claims/{id}.</param>
    public sealed record Query(string? ClaimId, string Publisher, string BaseUrl) : IRequest<IReadOnlyList<JsonObject>>;

    public static int? RatingValue(Rating rating) => rating switch
    {
        Rating.True => 5,
        Rating.MostlyTrue => 4,
        Rating.HalfTrue => 3,
        Rating.MostlyFalse => 2,
        Rating.False => 1,
        _ => null,
    };

    public sealed class Handler(IDocumentStore store, IMediator mediator) : IRequestHandler<Query, IReadOnlyList<JsonObject>>
    {
        public async Task<IReadOnlyList<JsonObject>> Handle(Query query, CancellationToken cancellationToken)
        {
            IReadOnlyList<Claim> claims;
            if (query.ClaimId is { } id)
            {
                var claim = await mediator.Send(new GetClaim.Query(id), cancellationToken);
                claims = claim.Verdict is null || claim.IsRetracted
                    ? throw new NotFoundException("published review of claim", $"{id}' (it has no verdict yet, or was retracted")
                    : [claim];
            }
            else
            {
                await using var session = store.QuerySession();
                claims = (await session.Query<Claim>().Where(c => c.Verdict != null && c.Status != ClaimStatus.Retracted)
                    .OrderBy(c => c.Id).ToListAsync(cancellationToken)).ToList();
            }

            await using var documents = store.QuerySession();
            var ids = claims.SelectMany(c => c.Sources.Select(s => s.Source.DocumentId).Prepend(c.Appearance.DocumentId)).Distinct().ToArray();
            var byId = (await documents.LoadManyAsync<SourceDocument>(cancellationToken, ids)).ToDictionary(d => d.Id);
            return claims.Select(c => Build(c, byId, query.Publisher, query.BaseUrl)).ToList();
        }
    }

    public static JsonObject Build(Claim claim, IReadOnlyDictionary<string, SourceDocument> documents, string publisher, string baseUrl)
    {
        var verdict = claim.Verdict ?? throw new InvalidOperationException("Only rated claims are published.");
        JsonObject Work(ClaimSource source)
        {
            var work = new JsonObject { ["@type"] = "CreativeWork" };
            if (documents.TryGetValue(source.DocumentId, out var document))
            {
                work["headline"] = document.Title;
                work["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = document.Publisher };
                if (document.PublishedOn is { } on)
                {
                    work["datePublished"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }

                if (document.Url is { } url)
                {
                    work["url"] = url;
                }
            }

            return work;
        }

        var rating = new JsonObject
        {
            ["@type"] = "Rating",
            ["alternateName"] = Ratings.Label(verdict.Rating),
            ["worstRating"] = 1,
            ["bestRating"] = 5,
        };
        if (RatingValue(verdict.Rating) is { } value)
        {
            rating["ratingValue"] = value;
        }

        var appearanceDocument = documents.GetValueOrDefault(claim.Appearance.DocumentId);
        var itemReviewed = new JsonObject
        {
            ["@type"] = "Claim",
            ["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = claim.Appearance.Publisher },
            ["firstAppearance"] = Work(claim.Appearance),
            ["appearance"] = new JsonArray(claim.Sources.Where(s => s.Stance == Stance.Supports).Select(s => (JsonNode)Work(s.Source)).Prepend(Work(claim.Appearance)).ToArray()),
        };
        if (appearanceDocument?.PublishedOn is { } first)
        {
            itemReviewed["datePublished"] = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ClaimReview",
            ["url"] = $"{baseUrl.TrimEnd('/')}/claims/{claim.Id}",
            ["claimReviewed"] = claim.Statement,
            ["itemReviewed"] = itemReviewed,
            ["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = publisher },
            ["datePublished"] = verdict.At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["reviewRating"] = rating,
        };
    }
}
