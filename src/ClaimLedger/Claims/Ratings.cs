namespace ClaimLedger.Claims;

/// <summary>The documented rating scale with its human labels ("Mostly true") and the names scripts may use.</summary>
public static class Ratings
{
    public static string Label(Rating rating) => rating switch
    {
        Rating.True => "True",
        Rating.MostlyTrue => "Mostly true",
        Rating.HalfTrue => "Half true",
        Rating.MostlyFalse => "Mostly false",
        Rating.False => "False",
        Rating.Opinion => "Opinion (not rated)",
        _ => "Unverifiable",
    };

    public static string Expected => string.Join(", ", Enum.GetValues<Rating>().Select(Label));

    /// <summary>True for the five ratings of the scale; false for Unverifiable and Opinion, which rate nothing.</summary>
    public static bool IsOnScale(Rating rating) => rating is >= Rating.True and <= Rating.False;

    /// <summary>The rating's value on a 1 (False) to 5 (True) scale, or null outside the scale.</summary>
    public static int? ScaleValue(Rating rating) => IsOnScale(rating) ? 5 - (int)rating : null;

    /// <summary>Accepts "MostlyTrue", "Mostly true", "mostly-true", "mostly_true" and "Opinion (not rated)" alike.</summary>
    public static bool TryParse(string? text, out Rating rating) => Named.TryParse(text, Label, out rating);
}

/// <summary>The attribution results with their human labels and the names scripts may use ("not-found", "NotFound").</summary>
public static class Attributions
{
    public static string Label(Attribution result) => result switch
    {
        Attribution.Accurate => "Accurate",
        Attribution.Paraphrase => "Paraphrase",
        Attribution.Misquoted => "Misquoted",
        Attribution.Misattributed => "Misattributed",
        _ => "Not found",
    };

    public static string Expected => string.Join(", ", Enum.GetValues<Attribution>().Select(Label));

    public static bool TryParse(string? text, out Attribution result) => Named.TryParse(text, Label, out result);
}

/// <summary>Reads an enum value by its name or its label, ignoring case, spaces, hyphens and punctuation.</summary>
internal static class Named
{
    public static bool TryParse<T>(string? text, Func<T, string> label, out T value) where T : struct, Enum
    {
        var compact = Letters(text);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (compact.Length > 0 && (Same(compact, candidate.ToString()) || Same(compact, Letters(label(candidate)))))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Letters(string? text) => new((text ?? "").Where(char.IsLetter).ToArray());
}
