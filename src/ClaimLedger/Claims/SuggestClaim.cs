using System.Globalization;
using System.Text.RegularExpressions;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>
/// Reads a passage a checker selected and suggests how to record it: a kind, a statement and the kind's fields, for
/// the checker to confirm or change. The fields found in the prose go through <see cref="ClaimValues.Parse"/>, the
/// ledger's one parser, so a suggestion is normalized exactly as a recorded claim would be.
/// </summary>
public static partial class SuggestClaim
{
    /// <param name="PublishedOn">The document's date, which gives the year of a date printed without one.</param>
    public sealed record Query(string Excerpt, DateOnly? PublishedOn = null) : IRequest<Suggestion>;

    /// <param name="Value">The fields by name: normalized when <paramref name="Problems"/> is empty, as found otherwise.</param>
    /// <param name="Notes">What was read from the passage, in plain words, so the checker knows what to verify.</param>
    public sealed record Suggestion(ClaimKind Kind, string Statement, IReadOnlyDictionary<string, string?> Value, string? Description,
        IReadOnlyList<FieldError> Problems, IReadOnlyList<string> Notes);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Excerpt).RequiredText(RequestRules.MaxExcerptLength);
    }

    public sealed class Handler : IRequestHandler<Query, Suggestion>
    {
        public Task<Suggestion> Handle(Query query, CancellationToken cancellationToken) => Task.FromResult(Suggest(query.Excerpt, query.PublishedOn));
    }

    public static Suggestion Suggest(string excerpt, DateOnly? publishedOn = null)
    {
        var text = Spaces().Replace(excerpt, " ").Trim();
        var statement = text.Length <= RequestRules.MaxStatementLength ? text : text[..RequestRules.MaxStatementLength];
        var notes = new List<string>();
        var (kind, fields) = Expulsion(text, publishedOn, notes) ?? Quote(text, notes) ?? Quantity(text, notes) ?? Event(text, publishedOn, notes)
            ?? (ClaimKind.Statement, new Dictionary<string, string?>());
        if (kind == ClaimKind.Statement)
        {
            notes.Add("No figure, date, expulsion or quotation found: suggested as a statement.");
        }

        var problems = new List<FieldError>();
        var value = ClaimValues.Parse(kind, fields, problems);
        var normalized = value is null ? fields : value.Fields().ToDictionary(f => f.Key, f => f.Value);
        return new Suggestion(kind, statement, normalized, value?.Describe(), problems, notes);
    }

    private static (ClaimKind, Dictionary<string, string?>)? Expulsion(string text, DateOnly? publishedOn, List<string> notes)
    {
        if (!ExpelWord().IsMatch(text))
        {
            return null;
        }

        var fields = new Dictionary<string, string?>();
        if (ExpelledCount().Match(text) is { Success: true } count)
        {
            fields["count"] = NumberWords.TryGetValue(count.Groups["count"].Value, out var n) ? n.ToString(CultureInfo.InvariantCulture) : count.Groups["count"].Value;
            fields["expelledParty"] = count.Groups["who"].Value;
        }

        if ((ExpellingParty().Match(text) is { Success: true } party ? party : SentenceSubject().Match(text)) is { Success: true } subject)
        {
            fields["expellingParty"] = subject.Groups["party"].Value;
        }

        if (FindDate(text, publishedOn, notes) is { } date)
        {
            fields["date"] = date.Date;
        }

        notes.Add("Mentions an expulsion: check who expelled whom, and how many.");
        return (ClaimKind.Expulsion, fields);
    }

    private static (ClaimKind, Dictionary<string, string?>)? Quote(string text, List<string> notes)
    {
        if (QuotedWords().Match(text) is not { Success: true } quoted)
        {
            return null;
        }

        var fields = new Dictionary<string, string?> { ["words"] = quoted.Groups["words"].Value.Trim() };
        var speaker = SpeakerBefore().Match(text) is { Success: true } before ? before.Groups["speaker"].Value
            : SpeakerAfter().Match(text) is { Success: true } after ? after.Groups["speaker"].Value : null;
        if (speaker is not null)
        {
            // "Chinese Foreign Minister Wang Yi": the last two capitalised words are usually the name.
            var names = speaker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            fields["speaker"] = string.Join(' ', names.Length > 2 ? names[^2..] : names);
            notes.Add($"Quotation attributed to {fields["speaker"]}: check the name against the passage.");
        }
        else
        {
            notes.Add("Quotation found, but no speaker: name who said it.");
        }

        return (ClaimKind.Quote, fields);
    }

    private static (ClaimKind, Dictionary<string, string?>)? Quantity(string text, List<string> notes)
    {
        foreach (Match match in Amount().Matches(text))
        {
            var number = match.Groups["number"].Value;
            var scale = match.Groups["scale"].Value;
            var currency = match.Groups["currency"].Value;
            var unitWord = match.Groups["unit"].Value;
            var knownUnit = KnownUnits.Contains(unitWord) || Units.ContainsKey(unitWord);
            if (scale.Length == 0 && currency.Length == 0 && !knownUnit)
            {
                continue;
            }

            var unit = currency.Length > 0 ? Currencies[currency]
                : knownUnit ? Units.GetValueOrDefault(unitWord, unitWord.ToLowerInvariant())
                : NotUnits.Contains(unitWord) ? null : unitWord;
            var fields = new Dictionary<string, string?> { ["amount"] = scale.Length > 0 ? $"{number} {scale}" : number, ["unit"] = unit };
            if (Year().Matches(text).Select(y => y.Value).FirstOrDefault(y => y != number) is { } year)
            {
                fields["period"] = year;
            }

            notes.Add($"Read \"{match.Value.Trim()}\" as the amount and unit.");
            return (ClaimKind.Quantity, fields);
        }

        return null;
    }

    private static (ClaimKind, Dictionary<string, string?>)? Event(string text, DateOnly? publishedOn, List<string> notes)
    {
        if (FindDate(text, publishedOn, notes) is not { } date)
        {
            return null;
        }

        var start = LeadingPreposition().Match(text[..date.Index]) is { Success: true } preposition ? preposition.Index : date.Index;
        var what = text.Remove(start, date.Index + date.Length - start).Replace(" ,", ",", StringComparison.Ordinal);
        what = Spaces().Replace(what, " ").Trim().TrimEnd('.', ',', ';', ' ');
        var fields = new Dictionary<string, string?> { ["what"] = what, ["date"] = date.Date, ["endDate"] = date.EndDate };
        return (ClaimKind.Event, fields);
    }

    private readonly record struct FoundDate(string Date, string? EndDate, int Index, int Length);

    private static FoundDate? FindDate(string text, DateOnly? publishedOn, List<string> notes)
    {
        if (DayRange().Match(text) is { Success: true } range && Month(range) is { } m0)
        {
            var year = range.Groups["year"].Value;
            return new($"{year}-{m0:00}-{int.Parse(range.Groups["d1"].Value, CultureInfo.InvariantCulture):00}",
                $"{year}-{m0:00}-{int.Parse(range.Groups["d2"].Value, CultureInfo.InvariantCulture):00}", range.Index, range.Length);
        }

        foreach (var pattern in new[] { MonthDayYear(), DayMonthYear() })
        {
            if (pattern.Match(text) is { Success: true } day && Month(day) is { } m1)
            {
                return new($"{day.Groups["year"].Value}-{m1:00}-{int.Parse(day.Groups["day"].Value, CultureInfo.InvariantCulture):00}", null, day.Index, day.Length);
            }
        }

        if (publishedOn is { } rangeYear && YearlessRange().Match(text) is { Success: true } yearless && Month(yearless) is { } m4)
        {
            notes.Add($"\"{yearless.Value}\" has no year: took {rangeYear.Year} from the document's date. Check it.");
            return new($"{rangeYear.Year}-{m4:00}-{int.Parse(yearless.Groups["d1"].Value, CultureInfo.InvariantCulture):00}",
                $"{rangeYear.Year}-{m4:00}-{int.Parse(yearless.Groups["d2"].Value, CultureInfo.InvariantCulture):00}", yearless.Index, yearless.Length);
        }

        if (publishedOn is { } dayYear && MonthDay().Match(text) is { Success: true } monthDay && Month(monthDay) is { } m5)
        {
            notes.Add($"\"{monthDay.Value}\" has no year: took {dayYear.Year} from the document's date. Check it.");
            return new($"{dayYear.Year}-{m5:00}-{int.Parse(monthDay.Groups["day"].Value, CultureInfo.InvariantCulture):00}", null, monthDay.Index, monthDay.Length);
        }

        if (IsoDate().Match(text) is { Success: true } iso)
        {
            return new(iso.Value, null, iso.Index, iso.Length);
        }

        if (MonthYear().Match(text) is { Success: true } month && Month(month) is { } m2)
        {
            return new($"{month.Groups["year"].Value}-{m2:00}", null, month.Index, month.Length);
        }

        if (publishedOn is { } published && MonthAlone().Match(text) is { Success: true } alone && Month(alone) is { } m3)
        {
            notes.Add($"\"{alone.Value}\" has no year: took {published.Year} from the document's date. Check it.");
            return new($"{published.Year}-{m3:00}", null, alone.Index, alone.Length);
        }

        if (InYear().Match(text) is { Success: true } inYear)
        {
            return new(inYear.Groups["year"].Value, null, inYear.Index, inYear.Length);
        }

        return null;
    }

    private static int? Month(Match match)
    {
        var name = match.Groups["month"].Value.TrimEnd('.');
        return Months.TryGetValue(name, out var month) ? month : null;
    }

    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["January"] = 1, ["Jan"] = 1, ["February"] = 2, ["Feb"] = 2, ["March"] = 3, ["Mar"] = 3, ["April"] = 4, ["Apr"] = 4,
        ["May"] = 5, ["June"] = 6, ["Jun"] = 6, ["July"] = 7, ["Jul"] = 7, ["August"] = 8, ["Aug"] = 8, ["September"] = 9,
        ["Sept"] = 9, ["Sep"] = 9, ["October"] = 10, ["Oct"] = 10, ["November"] = 11, ["Nov"] = 11, ["December"] = 12, ["Dec"] = 12,
    };

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["twenty"] = 20,
    };

    private static readonly HashSet<string> KnownUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "yuan", "rubles", "yen", "rupees", "tons", "barrels", "cubic meters", "percent", "troops", "soldiers", "people", "km", "kilometers", "miles",
    };

    private static readonly HashSet<string> NotUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "in", "of", "the", "a", "an", "to", "for", "and", "on", "at", "by", "from", "with", "last", "this", "that", "was", "were", "is", "are",
    };

    private static readonly Dictionary<string, string> Currencies = new() { ["$"] = "USD", ["€"] = "EUR", ["£"] = "GBP" };

    private static readonly Dictionary<string, string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dollars"] = "USD", ["euros"] = "EUR", ["pounds"] = "GBP", ["roubles"] = "rubles", ["%"] = "percent", ["per cent"] = "percent",
        ["tonnes"] = "tons", ["cubic metres"] = "cubic meters",
    };

    private const string MonthName = @"(?<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";

    [GeneratedRegex(@"\b(?:on|in|from|since|by|during|until)\s+$")]
    private static partial Regex LeadingPreposition();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\bexpel(s|led|ling)?\b|\bexpulsions?\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExpelWord();

    [GeneratedRegex(@"\b(?<count>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty)\s+(?<who>(?:[A-Z][\w-]*\s+)*(?:diplomats?|officials?|envoys?|staff|spies|officers|intelligence officers|embassy staff|people))", RegexOptions.IgnoreCase)]
    private static partial Regex ExpelledCount();

    [GeneratedRegex(@"(?<party>(?:[A-Z][\w.'-]*)(?:\s+(?:of|and|the|[A-Z][\w.'-]*))*)\s+(?:\w+\s+){0,3}?(?:expel|expels|expelled|expelling|ordered the expulsion|announced the expulsion)\b")]
    private static partial Regex ExpellingParty();

    [GeneratedRegex(@"[“""](?<words>[^”""]{3,})[”""]")]
    private static partial Regex QuotedWords();

    [GeneratedRegex(@"(?<speaker>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,4})(?:,[^,“”""]{1,80},)?\s+(?:said|says|told|stated|declared|added|wrote|insisted|warned|noted|was quoted as saying)\b")]
    private static partial Regex SpeakerBefore();

    [GeneratedRegex(@"\b(?:said|says|according to)\s+(?<speaker>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,4})")]
    private static partial Regex SpeakerAfter();

    [GeneratedRegex(@"(?<currency>[$€£])?\s?(?<number>\d[\d,]*(?:\.\d+)?)(?:\s?(?<scale>thousand|million|billion|trillion|bn|mn|tn)\b)?(?:\s*(?<unit>%|per cent|cubic met(?:er|re)s|[a-z]+))?", RegexOptions.IgnoreCase)]
    private static partial Regex Amount();

    [GeneratedRegex(@"\b(?:19|20)\d{2}\b")]
    private static partial Regex Year();

    [GeneratedRegex(MonthName + @"\s+(?<d1>\d{1,2})\s?[-–]\s?(?<d2>\d{1,2}),?\s+(?<year>(?:19|20)\d{2})\b")]
    private static partial Regex DayRange();

    [GeneratedRegex(MonthName + @"\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>(?:19|20)\d{2})\b")]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"\b(?<day>\d{1,2})(?:st|nd|rd|th)?\s+" + MonthName + @",?\s+(?<year>(?:19|20)\d{2})\b")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"(?:from\s+)?" + MonthName + @"\s+(?<d1>\d{1,2})(?:\s*[-–]\s*|\s+to\s+)(?<d2>\d{1,2})\b(?!,?\s+(?:19|20)\d{2})")]
    private static partial Regex YearlessRange();

    [GeneratedRegex(@"(?:on\s+)?" + MonthName + @"\s+(?<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s+(?:19|20)\d{2})")]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"^(?:The\s+)?(?<party>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)")]
    private static partial Regex SentenceSubject();

    [GeneratedRegex(@"\b(?:19|20)\d{2}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(MonthName + @",?\s+(?<year>(?:19|20)\d{2})\b")]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?:in|on|by|since|during|until)\s+" + MonthName + @"\b")]
    private static partial Regex MonthAlone();

    [GeneratedRegex(@"\b(?:in|since|by|during|until)\s+(?<year>(?:19|20)\d{2})\b")]
    private static partial Regex InYear();
}
