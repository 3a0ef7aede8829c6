using System.Globalization;
using System.Text.Json.Serialization;
using ClaimLedger.Common;

namespace ClaimLedger.Claims;

public enum ClaimKind { Quantity, Event, Expulsion, Quote, Statement }

public enum DatePrecision { Day, Month, Year, Range }

/// <summary>
/// The structured, normalized content of a claim. Every kind exposes its fields by name so a
/// correction can say which field changed, and every value is built by <see cref="ClaimValues.Parse"/>,
/// the one place that knows what each field accepts.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(QuantityValue), nameof(ClaimKind.Quantity))]
[JsonDerivedType(typeof(EventValue), nameof(ClaimKind.Event))]
[JsonDerivedType(typeof(ExpulsionValue), nameof(ClaimKind.Expulsion))]
[JsonDerivedType(typeof(QuoteValue), nameof(ClaimKind.Quote))]
[JsonDerivedType(typeof(StatementValue), nameof(ClaimKind.Statement))]
public abstract record ClaimValue
{
    [JsonIgnore]
    public abstract ClaimKind Kind { get; }

    /// <summary>The fields in a fixed order, as normalized strings (null when absent).</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string?>> Fields();

    public string? Field(string name) =>
        Fields().FirstOrDefault(f => f.Key == name).Value;

    /// <summary>A one-line human rendering, e.g. <c>1280000000000 yuan (2022)</c>.</summary>
    public abstract string Describe();
}

/// <param name="Amount">An exact decimal kept as a string, with scale words already resolved.</param>
public sealed record QuantityValue(string Amount, string Unit, string? Period) : ClaimValue
{
    [JsonIgnore]
    public override ClaimKind Kind => ClaimKind.Quantity;

    public override IReadOnlyList<KeyValuePair<string, string?>> Fields() =>
        [new("amount", Amount), new("unit", Unit), new("period", Period)];

    public override string Describe() => Period is null ? $"{Amount} {Unit}" : $"{Amount} {Unit} ({Period})";
}

public sealed record EventValue(string What, string Date, DatePrecision Precision, string? EndDate) : ClaimValue
{
    [JsonIgnore]
    public override ClaimKind Kind => ClaimKind.Event;

    public override IReadOnlyList<KeyValuePair<string, string?>> Fields() =>
        [new("what", What), new("date", Date), new("precision", Precision.ToString()), new("endDate", EndDate)];

    public override string Describe() => EndDate is null ? $"{What} on {Date}" : $"{What}, {Date} to {EndDate}";
}

public sealed record ExpulsionValue(string ExpellingParty, string ExpelledParty, int Count, string? Date, DatePrecision? Precision) : ClaimValue
{
    [JsonIgnore]
    public override ClaimKind Kind => ClaimKind.Expulsion;

    public override IReadOnlyList<KeyValuePair<string, string?>> Fields() =>
    [
        new("expellingParty", ExpellingParty), new("expelledParty", ExpelledParty),
        new("count", Count.ToString(CultureInfo.InvariantCulture)), new("date", Date), new("precision", Precision?.ToString()),
    ];

    public override string Describe() =>
        $"{ExpellingParty} expels {Count} {ExpelledParty}" + (Date is null ? "" : $" ({Date})");
}

public sealed record QuoteValue(string Speaker, string Words, string? Setting) : ClaimValue
{
    [JsonIgnore]
    public override ClaimKind Kind => ClaimKind.Quote;

    public override IReadOnlyList<KeyValuePair<string, string?>> Fields() =>
        [new("speaker", Speaker), new("words", Words), new("setting", Setting)];

    public override string Describe() => $"{Speaker}: “{Words}”";
}

public sealed record StatementValue : ClaimValue
{
    [JsonIgnore]
    public override ClaimKind Kind => ClaimKind.Statement;

    public override IReadOnlyList<KeyValuePair<string, string?>> Fields() => [];

    public override string Describe() => "";
}

public static class ClaimValues
{
    public const int MaxFieldLength = 1_000;

    public static IReadOnlyList<string> FieldNames(ClaimKind kind) => kind switch
    {
        ClaimKind.Quantity => ["amount", "unit", "period"],
        ClaimKind.Event => ["what", "date", "precision", "endDate"],
        ClaimKind.Expulsion => ["expellingParty", "expelledParty", "count", "date", "precision"],
        ClaimKind.Quote => ["speaker", "words", "setting"],
        _ => [],
    };

    /// <summary>
    /// Builds a normalized value of the given kind from named string fields. Errors name the field
    /// (prefixed with <paramref name="path"/>) and the form that was expected; unknown fields are errors too.
    /// </summary>
    public static ClaimValue? Parse(ClaimKind kind, IReadOnlyDictionary<string, string?> fields, List<FieldError> errors, string path = "value")
    {
        var known = FieldNames(kind);
        foreach (var name in fields.Keys.Where(k => !known.Contains(k)))
        {
            errors.Add(new($"{path}.{name}", known.Count == 0
                ? $"a {kind} claim has no structured fields"
                : $"not a field of a {kind} claim; expected one of: {string.Join(", ", known)}"));
        }

        var start = errors.Count;
        string? Get(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        string Required(string name)
        {
            var v = Get(name);
            if (v is null)
            {
                errors.Add(new($"{path}.{name}", $"required for a {kind} claim"));
            }
            else if (v.Length > MaxFieldLength)
            {
                errors.Add(new($"{path}.{name}", $"at most {MaxFieldLength} characters"));
            }

            return v ?? "";
        }

        ClaimValue? value = null;
        switch (kind)
        {
            case ClaimKind.Quantity:
                var amountText = Required("amount");
                var unit = Required("unit");
                var amount = amountText.Length > 0 ? Amounts.Normalize(amountText) : null;
                if (amountText.Length > 0 && amount is null)
                {
                    errors.Add(new($"{path}.amount", $"a decimal number, optionally with a scale word (e.g. 1.28 trillion, 100 billion, 25); got '{amountText}'"));
                }

                value = new QuantityValue(amount ?? "", unit, Get("period"));
                break;
            case ClaimKind.Event:
                var what = Required("what");
                var date = Dates.Parse(Get("date"), Get("endDate"), Get("precision"), required: true, $"{path}.", errors);
                value = new EventValue(what, date.Date ?? "", date.Precision ?? DatePrecision.Day, date.EndDate);
                break;
            case ClaimKind.Expulsion:
                var expelling = Required("expellingParty");
                var expelled = Required("expelledParty");
                var countText = Required("count");
                if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                {
                    if (countText.Length > 0)
                    {
                        errors.Add(new($"{path}.count", $"a whole number of at least 1; got '{countText}'"));
                    }
                }

                var when = Dates.Parse(Get("date"), null, Get("precision"), required: false, $"{path}.", errors);
                value = new ExpulsionValue(expelling, expelled, count, when.Date, when.Precision);
                break;
            case ClaimKind.Quote:
                value = new QuoteValue(Required("speaker"), Required("words"), Get("setting"));
                break;
            case ClaimKind.Statement:
                value = new StatementValue();
                break;
            default:
                errors.Add(new("kind", $"one of {string.Join(", ", Enum.GetNames<ClaimKind>())}"));
                break;
        }

        return errors.Count == start ? value : null;
    }

    /// <summary>
    /// The same value with one field replaced, parsed again so a corrected value is as valid as a new one.
    /// Errors are reported against <paramref name="path"/>, the request field that carried the new value.
    /// </summary>
    public static ClaimValue? With(ClaimValue value, string field, string? newValue, List<FieldError> errors, string path)
    {
        var fields = value.Fields().ToDictionary(f => f.Key, f => f.Value);
        if (!fields.ContainsKey(field))
        {
            errors.Add(new("field", $"statement or one of the {value.Kind} fields: {string.Join(", ", FieldNames(value.Kind))}"));
            return null;
        }

        fields[field] = newValue;
        if (field is "date" or "endDate" && fields.ContainsKey("precision") && value is not EventValue { Precision: DatePrecision.Range })
        {
            // The precision follows from the new date's form (2018, 2018-04, 2018-04-05).
            fields["precision"] = null;
        }

        var parseErrors = new List<FieldError>();
        var corrected = Parse(value.Kind, fields, parseErrors);
        errors.AddRange(parseErrors.Select(e => e with { Field = path }));
        return corrected;
    }
}
