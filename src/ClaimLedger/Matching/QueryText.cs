using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ClaimLedger.Matching;

/// <summary>
/// What a claim to be matched says, without what a post wraps around it: links, the leading @replies, the '#' of
/// hashtags, HTML entities, and the "— Name (@handle) Month d, yyyy" tail that an embedded (quoted) tweet carries.
/// None of these say anything about the claim, and links and handles are rare words that skew the lexical ranking.
/// </summary>
public static partial class QueryText
{
    public static string Clean(string text)
    {
        var cleaned = WebUtility.HtmlDecode(text);
        cleaned = QuotedTweetTail().Replace(cleaned, " ");
        cleaned = Link().Replace(cleaned, " ");
        cleaned = LeadingReplies().Replace(cleaned, "");
        cleaned = HandleOrHashtag().Replace(cleaned, "$1");
        cleaned = Whitespace().Replace(cleaned, " ").Trim();
        // A post that is nothing but a link or handles keeps its own words rather than becoming empty.
        return cleaned.Length > 0 ? cleaned : Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>The date of an embedded post, from its "— Name (@handle) Month d, yyyy" tail, when it has one.</summary>
    public static DateOnly? DateOf(string text) =>
        QuotedTweetDate().Match(WebUtility.HtmlDecode(text)) is { Success: true } found ? DateOfPublication(found.Groups[1].Value) : null;

    /// <summary>A review's datePublished as publishers write it (2015-05-26, 2015-05-26T10:00:00Z, 26 May 2015, May 26, 2015), when it can be read.</summary>
    public static DateOnly? DateOfPublication(string? published) =>
        published is null ? null
        : DateTimeOffset.TryParse(published, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? DateOnly.FromDateTime(at.UtcDateTime)
        : null;

    [GeneratedRegex(@"\(@\w+\)\s*([A-Z][a-z]+ \d{1,2}, \d{4})\s*$")]
    private static partial Regex QuotedTweetDate();

    [GeneratedRegex(@"\s*[—–]\s*[^—–]*\(@\w+\)[^—–]*$")]
    private static partial Regex QuotedTweetTail();

    [GeneratedRegex(@"(https?://|www\.|pic\.twitter\.com/)\S*", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex(@"^(\.?@\w+:?\s*)+")]
    private static partial Regex LeadingReplies();

    [GeneratedRegex(@"[@#](\w+)")]
    private static partial Regex HandleOrHashtag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
