using System.Globalization;

namespace ClaimLedger.Claims;

/// <summary>Exact amounts as canonical decimal strings: "1.28 trillion" becomes "1280000000000".</summary>
public static class Amounts
{
    private static readonly Dictionary<string, decimal> Scales = new(StringComparer.OrdinalIgnoreCase)
    {
        ["thousand"] = 1_000m,
        ["million"] = 1_000_000m,
        ["mn"] = 1_000_000m,
        ["billion"] = 1_000_000_000m,
        ["bn"] = 1_000_000_000m,
        ["trillion"] = 1_000_000_000_000m,
        ["tn"] = 1_000_000_000_000m,
    };

    /// <summary>Returns the canonical form, or null when the text is not an amount.</summary>
    public static string? Normalize(string text)
    {
        var parts = text.Replace(",", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            return null;
        }

        var scale = 1m;
        if (parts.Length == 2 && !Scales.TryGetValue(parts[1], out scale))
        {
            return null;
        }

        if (!decimal.TryParse(parts[0], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        try
        {
            return Canonical(number * scale);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>No exponent, no trailing zeros, invariant culture: one string per number.</summary>
    public static string Canonical(decimal value)
    {
        var text = (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }
}
