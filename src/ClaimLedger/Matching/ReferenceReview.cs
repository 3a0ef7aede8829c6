using System.Security.Cryptography;
using System.Text.Json;

namespace ClaimLedger.Matching;

/// <summary>
/// A fact-check published by someone else, as its ClaimReview describes it: kept apart from the desk's own claims and
/// verdicts, and used only to tell a checker that a claim may have been checked before.
/// </summary>
/// <param name="ResultId">How matching names it: its <c>identifier</c> when it has one, else its <c>url</c>.</param>
/// <param name="Rating">The rating's words (<c>alternateName</c>), or its value on its scale when it has no words.</param>
public sealed record ReferenceReview(
    string ResultId, string? Identifier, string? Url, string ClaimReviewed, string? Headline, string? Description,
    string? Claimant, string? Rating, decimal? RatingValue, decimal? BestRating, decimal? WorstRating,
    string? Publisher, string? DatePublished)
{
    /// <summary>What the lexical index reads, most telling first: the claim, the fact-check's title, its subtitle.</summary>
    public string SearchText => string.Join(" ", new[] { ClaimReviewed, Headline, Description }.Where(t => !string.IsNullOrWhiteSpace(t)));

    /// <summary>Identifies the content, so a re-import of the same review writes nothing and recomputes nothing.</summary>
    public byte[] ContentHash() => SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this));
}

/// <summary>Where a review sits in the file (<c>item 3</c>, <c>line 17</c>, <c>@graph[2]</c>) and which field is wrong.</summary>
public sealed record ReviewProblem(string Position, string Field, string Message);
