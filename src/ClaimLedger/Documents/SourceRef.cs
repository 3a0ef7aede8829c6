namespace ClaimLedger.Documents;

/// <summary>Where a claim or a piece of evidence appears: a registered document and a span of its text.</summary>
/// <param name="Start">Offset of the first UTF-16 code unit of the span.</param>
/// <param name="End">Offset just past the span: the span is [Start, End).</param>
public sealed record SourceRef(string DocumentId, int Start, int End, string Excerpt)
{
    /// <summary>Why the reference does not match the text, or null when its excerpt is exactly the text at its span.</summary>
    public (string Field, string Message)? Problem(string text)
    {
        var (start, end) = (Start, End);
        if (start < 0 || end > text.Length || start >= end)
        {
            return ("end", $"a span [start, end) with 0 <= start < end <= {text.Length} (the document's length); got [{start}, {end})");
        }

        if (char.IsLowSurrogate(text[start]) || (end < text.Length && char.IsLowSurrogate(text[end])))
        {
            return ("start", $"a span that does not split a surrogate pair; [{start}, {end}) does");
        }

        var actual = text[start..end];
        if (!string.Equals(actual, Excerpt, StringComparison.Ordinal))
        {
            return ("excerpt", $"the document's text at [{start}, {end}), which is \"{Shorten(actual)}\"; got \"{Shorten(Excerpt)}\"");
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
