using System.ComponentModel;
using ClaimLedger.Claims;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Cli.Rendering;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal class ClaimIdSettings : ReadSettings
{
    [CommandArgument(0, "<CLAIM-ID>")]
    [Description("The claim's id")]
    public string ClaimId { get; init; } = "";
}

[Description("Show a claim's current state")]
internal sealed class ShowCommand : LedgerCommand<ClaimIdSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ClaimIdSettings s, CancellationToken ct)
    {
        var claim = await ledger.Send(new GetClaim.Query(s.ClaimId), ct);
        if (s.Json)
        {
            return Output.Show(claim, json: true, c => ClaimView.Detail(c));
        }

        AnsiConsole.Write(ClaimView.Detail(claim));
        AnsiConsole.Write(ClaimView.Sources(await ledger.Send(new DocumentReferences.Query(CitedSpans.OfClaim(claim).Select(c => c.DocumentId).ToHashSet()), ct)));
        return ExitCodes.Ok;
    }
}

[Description("Every event of a claim: version, time, actor, reason")]
internal sealed class HistoryCommand : LedgerCommand<ClaimIdSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ClaimIdSettings s, CancellationToken ct) =>
        Output.Show(await ledger.Send(new ClaimHistory.Query(s.ClaimId), ct), s.Json, ClaimView.History);
}

internal sealed class AsOfSettings : ClaimIdSettings
{
    [CommandOption("--version <N>")] [Description("Replay the claim up to version N")] public long? Version { get; init; }
    [CommandOption("--at <TIMESTAMP>")] [Description("Replay the claim as it stood at this time (ISO 8601, e.g. 2026-10-01T12:00:00Z)")] public string? At { get; init; }
}

[Description("Replay a claim as of a version or a moment")]
internal sealed class AsOfCommand : LedgerCommand<AsOfSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, AsOfSettings s, CancellationToken ct)
    {
        DateTimeOffset? at = null;
        if (s.At is not null)
        {
            at = DateTimeOffset.TryParse(s.At, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new RequestValidationException([new("at", $"an ISO 8601 time such as 2026-10-01 or 2026-10-01T12:00:00Z; got '{s.At}'")]);
        }

        var claim = await ledger.Send(new ClaimAsOf.Query(s.ClaimId, s.Version, at), ct);
        return Output.Show(claim, s.Json, c => ClaimView.Detail(c, $"{c.Id} as of {(s.Version is not null ? $"version {s.Version}" : $"{at:u}")}"));
    }
}

internal sealed class ListSettings : ReadSettings
{
    [CommandOption("--kind <KIND>")] [Description("Quantity, Event, Expulsion, Quote or Statement")] public ClaimKind? Kind { get; init; }
    [CommandOption("--status <STATUS>")] [Description("Recorded, Corroborated, Disputed, Rated or Retracted")] public ClaimStatus? Status { get; init; }
    [CommandOption("--verdict <RATING>")] [Description("Only claims whose current verdict is this rating")] public string? Verdict { get; init; }
    [CommandOption("--publisher <NAME>")] [Description("Only claims with a source from this publisher")] public string? Publisher { get; init; }
    [CommandOption("--search <WORDS>")] [Description("Full-text search on the statement")] public string? Search { get; init; }
    [CommandOption("--page <N>")] [Description("Page number, from 1")] public int Page { get; init; } = 1;
    [CommandOption("--page-size <N>")] [Description("Claims per page (at most 500)")] public int PageSize { get; init; } = 50;
}

[Description("List claims, with filters and full-text search")]
internal sealed class ListCommand : LedgerCommand<ListSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ListSettings s, CancellationToken ct)
    {
        Rating? verdict = null;
        if (s.Verdict is not null)
        {
            verdict = Ratings.TryParse(s.Verdict, out var rating)
                ? rating
                : throw new RequestValidationException([new("verdict", $"one of {Ratings.Expected}; got '{s.Verdict}'")]);
        }

        var page = await ledger.Send(new ListClaims.Query(s.Kind, s.Status, verdict, s.Publisher, s.Search, s.Page, s.PageSize), ct);
        if (s.Json)
        {
            Output.WriteJson(page);
            return ExitCodes.Ok;
        }

        AnsiConsole.Write(ClaimView.List(page.Items));
        AnsiConsole.MarkupLine($"[grey]{page.Total} claim(s); page {page.Page} of {Math.Max(1, page.PageCount)}[/]");
        return ExitCodes.Ok;
    }
}
