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
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || WithoutCommas(parts[0]) is not { } digits)
        {
            return null;
        }

        parts[0] = digits;

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

    /// <summary>
    /// The number with its commas read as what they are: thousands separators when they group every digit before the
    /// point in threes ("1,280,000.5"), the decimal comma when there is exactly one and no point ("1,28" is 1.28); null
    /// for any other comma, which could be read either way ("1,2,3", "12,34.5").
    /// </summary>
    private static string? WithoutCommas(string number)
    {
        if (!number.Contains(','))
        {
            return number;
        }

        var point = number.IndexOf('.');
        var whole = (point < 0 ? number : number[..point]).TrimStart('-', '+');
        var groups = whole.Split(',');
        if (groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3))
        {
            return number.Replace(",", "", StringComparison.Ordinal);
        }

        return point < 0 && groups.Length == 2 && groups.All(g => g.Length > 0) ? number.Replace(',', '.') : null;
    }

    /// <summary>No exponent, no trailing zeros, invariant culture: one string per number.</summary>
    public static string Canonical(decimal value)
    {
        var text = (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }
}
