using System.ComponentModel;
using System.Globalization;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Seeds;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class ImportSettings : LedgerSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("A seeds folder (sources.json, claims.json, scenario.json) or one of those files")]
    public string Path { get; init; } = "";
}

[Description("Import seed claims and their fact-checking history; validates everything first and adds only what is missing. " +
    "'import reviews FILE' imports other fact-checkers' ClaimReview JSON-LD for matching (see import reviews --help)")]
internal sealed class ImportCommand : LedgerCommand<ImportSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ImportSettings settings, CancellationToken ct)
    {
        var summary = await SeedImport.RunAsync(ledger, settings.Path, ct);
        SeedImport.Print(summary);
        return ExitCodes.Ok;
    }
}

internal static class SeedImport
{
    public static async Task<ImportSeeds.Summary> RunAsync(LedgerClient ledger, string path, CancellationToken ct)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            // No terminal to redraw a bar in: progress goes to standard error as lines, so standard output stays the summary.
            return await ledger.Send(new ImportSeeds.Command(path, new ProgressLines()), ct);
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Importing seeds", maxValue: 1);
                var reporter = new Progress<ImportSeeds.Progress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = $"Importing {Output.Escape(ClaimLedger.Cli.Rendering.ClaimView.Shorten(p.Current, 40))}";
                });
                return await ledger.Send(new ImportSeeds.Command(path, reporter), ct);
            });
    }

    public static void Print(ImportSeeds.Summary s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Import summary").AddColumn("What").AddColumn(new TableColumn("Count").RightAligned());
        string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow("Documents (added)", $"{N(s.Documents)} ({N(s.DocumentsAdded)})");
        table.AddRow("Claims (added)", $"{N(s.Claims)} ({N(s.ClaimsAdded)})");
        table.AddRow("Seed steps already in the ledger", N(s.StepsAlreadyPresent));
        table.AddRow("Seed steps applied now", N(s.StepsApplied));
        foreach (var (type, count) in s.EventsAdded.OrderBy(e => e.Key))
        {
            table.AddRow($"  {type}", N(count));
        }

        table.AddRow("Corroborations / findings / verdicts added",
            $"{N(s.EventsAdded.GetValueOrDefault("ClaimCorroborated"))} / {N(s.EventsAdded.GetValueOrDefault("FindingRecorded"))} / {N(s.EventsAdded.GetValueOrDefault("VerdictIssued"))}");
        table.AddRow("Time taken", $"{s.Elapsed.TotalSeconds:F1} s");
        AnsiConsole.Write(table);
    }
}

/// <summary>Ends a verb with a given exit code after it has already said why.</summary>
internal sealed class ExitException(int code) : Exception($"exit {code}")
{
    public int Code { get; } = code;
}

/// <summary>Import progress for logs and pipes: a line at each tenth of the way, and the last one, never a frozen "0%".</summary>
internal sealed class ProgressLines : IProgress<ImportSeeds.Progress>
{
    private readonly Lock _gate = new();
    private int _lastTenth = -1;

    public void Report(ImportSeeds.Progress value)
    {
        var tenth = value.Total <= 0 ? 10 : (int)Math.Min(10, 10L * value.Done / value.Total);
        lock (_gate)
        {
            if (tenth <= _lastTenth)
            {
                return;
            }

            _lastTenth = tenth;
        }

        Output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Importing seeds: {tenth * 10}% ({value.Done:N0} of {Math.Max(value.Done, value.Total):N0}){(tenth < 10 ? $", at {value.Current}" : "")}"));
    }
}
