using System.Globalization;
using ClaimLedger.Common;

namespace ClaimLedger.Claims;

/// <summary>Dates of events and expulsions: ISO forms whose shape gives the precision.</summary>
public static class Dates
{
    public const string Expected = "yyyy-MM-dd (day), yyyy-MM (month) or yyyy (year); a range needs date and endDate as yyyy-MM-dd";

    public readonly record struct Parsed(string? Date, DatePrecision? Precision, string? EndDate);

    public static Parsed Parse(string? date, string? endDate, string? precisionText, bool required, string prefix, List<FieldError> errors)
    {
        if (date is null)
        {
            if (required)
            {
                errors.Add(new($"{prefix}date", $"required: {Expected}"));
            }
            else if (endDate is not null)
            {
                errors.Add(new($"{prefix}date", "required when endDate is given"));
            }

            return new(null, null, null);
        }

        DatePrecision? stated = null;
        if (precisionText is not null)
        {
            if (!Enum.TryParse<DatePrecision>(precisionText, ignoreCase: true, out var p) || !Enum.IsDefined(p))
            {
                errors.Add(new($"{prefix}precision", $"one of {string.Join(", ", Enum.GetNames<DatePrecision>())}; got '{precisionText}'"));
                return new(null, null, null);
            }

            stated = p;
        }

        var shape = ShapeOf(date);
        if (shape is null)
        {
            errors.Add(new($"{prefix}date", $"{Expected}; got '{date}'"));
            return new(null, null, null);
        }

        if (endDate is not null || stated == DatePrecision.Range)
        {
            if (shape != DatePrecision.Day || endDate is null || ShapeOf(endDate) != DatePrecision.Day)
            {
                errors.Add(new($"{prefix}endDate", $"a range needs date and endDate both as yyyy-MM-dd; got '{date}' to '{endDate}'"));
                return new(null, null, null);
            }

            if (string.CompareOrdinal(endDate, date) <= 0)
            {
                errors.Add(new($"{prefix}endDate", $"must be after date {date}; got '{endDate}'"));
                return new(null, null, null);
            }

            return new(date, DatePrecision.Range, endDate);
        }

        if (stated is not null && stated != shape)
        {
            errors.Add(new($"{prefix}precision", $"'{date}' has {shape} precision, not {stated}"));
            return new(null, null, null);
        }

        return new(date, shape, null);
    }

    private static DatePrecision? ShapeOf(string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out _))
        {
            return DatePrecision.Day;
        }

        if (text.Length == 7 && DateOnly.TryParseExact(text, "yyyy-MM", invariant, DateTimeStyles.None, out _))
        {
            return DatePrecision.Month;
        }

        if (text.Length == 4 && DateOnly.TryParseExact(text, "yyyy", invariant, DateTimeStyles.None, out _))
        {
            return DatePrecision.Year;
        }

        return null;
    }
}
