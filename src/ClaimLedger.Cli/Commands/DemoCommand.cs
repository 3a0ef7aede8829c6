using System.ComponentModel;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Cli.Rendering;
using ClaimLedger.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class DemoSettings : LedgerSettings
{
    [CommandOption("--seeds <PATH>")]
    [Description("The seeds folder; found by looking upwards from the current folder when omitted")]
    public string? Seeds { get; init; }
}

[Description("The first command to run: imports the five seed articles' claims and shows the audited ledger they make")]
internal sealed class DemoCommand : LedgerCommand<DemoSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, DemoSettings settings, CancellationToken ct)
    {
        var seeds = settings.Seeds ?? FindSeeds()
            ?? throw new RequestValidationException([new("seeds", "a seeds folder; none was found above the current folder. Run from the repository or pass --seeds PATH")]);
        Output.Section("[bold]1. The ledger[/] — every check-worthy claim in the five articles");
        var summary = await SeedImport.RunAsync(ledger, seeds, ct);
        SeedImport.Print(summary);

        var claims = (await ledger.Send(new ListClaims.Query(PageSize: ListClaims.MaxPageSize), ct)).Items;
        AnsiConsole.Write(ClaimView.List(claims));

        var showcase = claims
            .Where(c => c.DiffersFromClaimed && c.Verdict is not null)
            .OrderByDescending(c => c.EarlierVerdicts.Count + c.Findings.Count).ThenBy(c => c.Id)
            .FirstOrDefault();
        if (showcase is null)
        {
            return ExitCodes.Ok;
        }

        Output.Section($"[bold]2. The audit trail of {Output.Escape(showcase.Id)}[/] — what was claimed, what the evidence established, and the verdict");
        AnsiConsole.Write(ClaimView.Detail(showcase));
        AnsiConsole.Write(ClaimView.Sources(await ledger.Send(new DocumentReferences.Query(CitedSpans.OfClaim(showcase).Select(c => c.DocumentId).ToHashSet()), ct)));
        AnsiConsole.Write(ClaimView.History(await ledger.Send(new ClaimHistory.Query(showcase.Id), ct)));

        Output.Section("[bold]3. The same claim replayed as of two earlier dates[/]");
        var verdicts = showcase.EarlierVerdicts.Append(showcase.Verdict!).ToList();
        foreach (var moment in new[] { verdicts[0].At.AddMinutes(-1), verdicts[^1].At.AddMinutes(-1) })
        {
            var then = await ledger.Send(new ClaimAsOf.Query(showcase.Id, At: moment), ct);
            AnsiConsole.MarkupLine($"As of [bold]{moment:yyyy-MM-dd HH:mm} UTC[/] (version {then.Version}): {ClaimView.VerdictPhrase(then.Verdict)}, statement “{Output.Escape(then.Statement)}”");
        }

        AnsiConsole.MarkupLine($"Now (version {showcase.Version}): {ClaimView.VerdictPhrase(showcase.Verdict)}");
        Output.Section("[bold]4. Try next[/]");
        foreach (var next in new[]
        {
            $"./claimledger claims show {showcase.Id}",
            $"./claimledger claims as-of {showcase.Id} --version 2",
            "./claimledger claims list --verdict False",
            "./claimledger claims list --search Patrushev",
            "./claimledger documents list",
            "./claimledger claims --help",
        })
        {
            AnsiConsole.MarkupLine($"  [bold]{Output.Escape(next)}[/]");
        }

        return ExitCodes.Ok;
    }

    private static string? FindSeeds()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "seeds");
                if (File.Exists(Path.Combine(candidate, "sources.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
