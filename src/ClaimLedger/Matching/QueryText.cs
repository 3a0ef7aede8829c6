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
