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
        _ => "Unverifiable",
    };

    public static string Expected => string.Join(", ", Enum.GetValues<Rating>().Select(Label));

    /// <summary>Accepts "MostlyTrue", "Mostly true", "mostly-true" and "mostly_true" alike.</summary>
    public static bool TryParse(string? text, out Rating rating)
    {
        var compact = new string((text ?? "").Where(char.IsLetter).ToArray());
        return Enum.TryParse(compact, ignoreCase: true, out rating) && Enum.IsDefined(rating) && compact.Length > 0;
    }
}
