using System.ComponentModel;
using ClaimLedger.Claims;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using MediatR;
using Spectre.Console.Cli;
using Spectre.Console;

namespace ClaimLedger.Cli.Commands;

/// <summary>The write verbs: each builds its request from options and sends it; the outcome is printed the same way for all.</summary>
internal abstract class ClaimWriteCommand<TSettings> : LedgerCommand<TSettings> where TSettings : WriteSettings
{
    protected abstract IRequest<WriteResult> Build(TSettings settings);

    protected sealed override async Task<int> RunAsync(LedgerClient ledger, TSettings settings, CancellationToken ct)
    {
        var result = await ledger.Send(Build(settings), ct);
        if (settings.Json)
        {
            Output.WriteJson(result);
        }
        else
        {
            AnsiConsole.MarkupLine($"[green]{Output.Escape(string.Join(", ", result.Events))}[/] → claim [bold]{Output.Escape(result.ClaimId)}[/] is now at version {result.Version}");
        }

        return ExitCodes.Ok;
    }
}

internal sealed class RecordSettings : WriteSettings
{
    [CommandOption("--kind <KIND>")]
    [Description("Quantity, Event, Expulsion, Quote or Statement")]
    public ClaimKind Kind { get; init; } = ClaimKind.Statement;

    [CommandOption("--statement <TEXT>")]
    [Description("The claim in one sentence, as the source makes it (at most 1,000 characters)")]
    public string Statement { get; init; } = "";

    [CommandOption("--id <CLAIM-ID>")]
    [Description("A readable id such as trade-cn-ru-2022-total; derived from the statement when omitted")]
    public string? Id { get; init; }

    [CommandOption("--document <ID>")] [Description("Registered document the claim appears in")] public string? Document { get; init; }
    [CommandOption("--start <OFFSET>")] [Description("Start of the appearance's span (UTF-16 code units)")] public int? Start { get; init; }
    [CommandOption("--end <OFFSET>")] [Description("End of the span (exclusive)")] public int? End { get; init; }
    [CommandOption("--excerpt <TEXT>")] [Description("The exact text at [[start, end)")] public string? Excerpt { get; init; }

    [CommandOption("--amount <AMOUNT>")] [Description("Quantity: a number, scale words allowed (1.28 trillion)")] public string? Amount { get; init; }
    [CommandOption("--unit <UNIT>")] [Description("Quantity: yuan, USD, cubic metres, percent, …")] public string? Unit { get; init; }
    [CommandOption("--period <PERIOD>")] [Description("Quantity: the period it covers (2022, first 11 months of 2022)")] public string? Period { get; init; }
    [CommandOption("--what <TEXT>")] [Description("Event: what happened or is planned")] public string? What { get; init; }
    [CommandOption("--date <DATE>")] [Description("Event/Expulsion: yyyy-MM-dd, yyyy-MM or yyyy")] public string? Date { get; init; }
    [CommandOption("--end-date <DATE>")] [Description("Event: last day of a range (yyyy-MM-dd)")] public string? EndDate { get; init; }
    [CommandOption("--precision <PRECISION>")] [Description("Day, Month, Year or Range; follows from the date when omitted")] public string? Precision { get; init; }
    [CommandOption("--expelling <PARTY>")] [Description("Expulsion: who expels")] public string? Expelling { get; init; }
    [CommandOption("--expelled <PARTY>")] [Description("Expulsion: who is expelled")] public string? Expelled { get; init; }
    [CommandOption("--count <N>")] [Description("Expulsion: how many")] public string? Count { get; init; }
    [CommandOption("--speaker <NAME>")] [Description("Quote: who said it")] public string? Speaker { get; init; }
    [CommandOption("--words <TEXT>")] [Description("Quote: the quoted words")] public string? Words { get; init; }
    [CommandOption("--setting <TEXT>")] [Description("Quote: where or when it was said")] public string? Setting { get; init; }

    public IReadOnlyDictionary<string, string?> Value()
    {
        var all = new Dictionary<string, string?>
        {
            ["amount"] = Amount, ["unit"] = Unit, ["period"] = Period, ["what"] = What, ["date"] = Date, ["endDate"] = EndDate,
            ["precision"] = Precision, ["expellingParty"] = Expelling, ["expelledParty"] = Expelled, ["count"] = Count,
            ["speaker"] = Speaker, ["words"] = Words, ["setting"] = Setting,
        };
        return all.Where(f => f.Value is not null).ToDictionary();
    }
}

[Description("Record a claim as it appears in a registered document")]
internal sealed class RecordCommand : ClaimWriteCommand<RecordSettings>
{
    protected override IRequest<WriteResult> Build(RecordSettings s) => new RecordClaim.Command(
        s.Id, s.Kind, s.Statement, s.Value(), new SourceRef(s.Document ?? "", s.Start ?? -1, s.End ?? -1, s.Excerpt ?? ""), s.Context());
}

internal sealed class AttachSourceSettings : SourceOptions
{
    [CommandOption("--stance <STANCE>")]
    [Description("Supports, Contradicts or Mentions")]
    public Stance Stance { get; init; } = Stance.Supports;

    [CommandOption("--reason <TEXT>")] [Description("Why this source matters")] public string? Reason { get; init; }
}

[Description("Attach a source that supports, contradicts or mentions the claim")]
internal sealed class AttachSourceCommand : ClaimWriteCommand<AttachSourceSettings>
{
    protected override IRequest<WriteResult> Build(AttachSourceSettings s) =>
        new AttachSource.Command(s.ClaimId, s.Source(), s.Stance, s.Reason, s.ExpectedVersion, s.Context());
}

internal sealed class CorroborateSettings : SourceOptions
{
    [CommandOption("--reason <TEXT>")] [Description("What the source confirms")] public string? Reason { get; init; }
}

[Description("Corroborate the claim with a source from an independent publisher")]
internal sealed class CorroborateCommand : ClaimWriteCommand<CorroborateSettings>
{
    protected override IRequest<WriteResult> Build(CorroborateSettings s) =>
        new CorroborateClaim.Command(s.ClaimId, s.Source(), s.Reason, s.ExpectedVersion, s.Context());
}

internal sealed class EvidenceSettings : ClaimWriteSettings
{
    [CommandOption("--reason <TEXT>")] [Description("Why (required)")] public string Reason { get; init; } = "";

    [CommandOption("--evidence <REF>")]
    [Description("Evidence as " + EvidenceOption.Syntax + "; repeat for more")]
    public string[] Evidence { get; init; } = [];
}

[Description("Dispute the claim, saying why")]
internal sealed class DisputeCommand : ClaimWriteCommand<EvidenceSettings>
{
    protected override IRequest<WriteResult> Build(EvidenceSettings s) =>
        new DisputeClaim.Command(s.ClaimId, s.Reason, EvidenceOption.Parse(s.Evidence), s.ExpectedVersion, s.Context());
}

internal static class FieldOption
{
    public const string Names =
        "statement, or a field of the claim's value: amount, unit, period, what, date, endDate, precision, expellingParty, expelledParty, count, speaker, words, setting";
}

internal sealed class AmendSettings : SourceOptions
{
    [CommandOption("--field <FIELD>")] [Description(FieldOption.Names)] public string Field { get; init; } = "";

    [CommandOption("--value <VALUE>")] [Description("The field as the article prints it")] public string? Value { get; init; }

    [CommandOption("--reason <TEXT>")] [Description("How the record misread the article (required)")] public string Reason { get; init; } = "";
}

[Description("Amend the ledger's record where it misread the article; cite the article's span with --document/--start/--end/--excerpt")]
internal sealed class AmendCommand : ClaimWriteCommand<AmendSettings>
{
    protected override IRequest<WriteResult> Build(AmendSettings s) =>
        new AmendRecord.Command(s.ClaimId, s.Field, s.Value, s.Reason, s.Source(), s.ExpectedVersion, s.Context());
}

internal sealed class FindingSettings : ClaimWriteSettings
{
    [CommandOption("--field <FIELD>")] [Description(FieldOption.Names)] public string Field { get; init; } = "";

    [CommandOption("--established <VALUE>")]
    [Description("What the evidence establishes for the field (the same as claimed when it confirms it)")]
    public string? Established { get; init; }

    [CommandOption("--note <TEXT>")] [Description("How the evidence establishes it (required)")] public string Note { get; init; } = "";

    [CommandOption("--evidence <REF>")]
    [Description("Evidence as " + EvidenceOption.Syntax + "; at least one from another document and publisher than the claim's; repeat for more")]
    public string[] Evidence { get; init; } = [];
}

[Description("Record what the evidence establishes for one field; the claim as published stays as it is")]
internal sealed class FindingCommand : ClaimWriteCommand<FindingSettings>
{
    protected override IRequest<WriteResult> Build(FindingSettings s) =>
        new RecordFinding.Command(s.ClaimId, s.Field, s.Established, s.Note, EvidenceOption.Parse(s.Evidence), s.ExpectedVersion, s.Context());
}

internal sealed class AttributionSettings : ClaimWriteSettings
{
    [CommandOption("--result <RESULT>")]
    [Description("Accurate, Paraphrase, Misquoted, Misattributed or Not found")]
    public string Result { get; init; } = "";

    [CommandOption("--note <TEXT>")] [Description("What the record shows was said, and by whom (required)")] public string Note { get; init; } = "";

    [CommandOption("--evidence <REF>")]
    [Description("Evidence as " + EvidenceOption.Syntax + "; repeat for more")]
    public string[] Evidence { get; init; } = [];

    [CommandOption("--tried <TEXT>")]
    [Description("A source searched for the quote (required for Not found); repeat for more")]
    public string[] Tried { get; init; } = [];
}

[Description("Record whether a quote was said as reported, apart from whether what it says is true")]
internal sealed class AttributionCommand : ClaimWriteCommand<AttributionSettings>
{
    protected override IRequest<WriteResult> Build(AttributionSettings s) => Attributions.TryParse(s.Result, out var result)
        ? new CheckAttribution.Command(s.ClaimId, result, s.Note, EvidenceOption.Parse(s.Evidence), s.Tried, s.ExpectedVersion, s.Context())
        : throw new RequestValidationException([new("result", $"one of {Attributions.Expected}; got '{s.Result}'")]);
}

internal sealed class VerdictSettings : ClaimWriteSettings
{
    [CommandOption("--rating <RATING>")]
    [Description("True, Mostly true, Half true, Mostly false, False; or Unverifiable (with --tried) or Opinion (not rated)")]
    public string Rating { get; init; } = "";

    [CommandOption("--rationale <TEXT>")] [Description("Why this rating (at most 10,000 characters)")] public string Rationale { get; init; } = "";

    [CommandOption("--evidence <REF>")]
    [Description("Evidence as " + EvidenceOption.Syntax + "; a rating needs one from another document and publisher than the claim's; repeat for more")]
    public string[] Evidence { get; init; } = [];

    [CommandOption("--tried <TEXT>")]
    [Description("A source searched without settling the facts (required for Unverifiable); repeat for more")]
    public string[] Tried { get; init; } = [];
}

[Description("Issue a verdict on the claim as published; a later verdict supersedes the earlier one, and both stay in the history")]
internal sealed class VerdictCommand : ClaimWriteCommand<VerdictSettings>
{
    protected override IRequest<WriteResult> Build(VerdictSettings s) => Ratings.TryParse(s.Rating, out var rating)
        ? new IssueVerdict.Command(s.ClaimId, rating, s.Rationale, EvidenceOption.Parse(s.Evidence), s.ExpectedVersion, s.Context(), s.Tried)
        : throw new RequestValidationException([new("rating", $"one of {Ratings.Expected}; got '{s.Rating}'")]);
}

internal sealed class RetractSettings : ClaimWriteSettings
{
    [CommandOption("--reason <TEXT>")] [Description("Why the claim is withdrawn (required)")] public string Reason { get; init; } = "";
}

[Description("Retract the claim; it accepts no further changes and its history stays readable")]
internal sealed class RetractCommand : ClaimWriteCommand<RetractSettings>
{
    protected override IRequest<WriteResult> Build(RetractSettings s) =>
        new RetractClaim.Command(s.ClaimId, s.Reason, s.ExpectedVersion, s.Context());
}
