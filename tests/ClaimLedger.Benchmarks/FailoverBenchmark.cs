using System.Globalization;
using System.Text;
using ClaimLedger.Infrastructure;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// `-- --failover [RUNS]`: the failover scenario several times on one pg_auto_failover cluster (each run kills whichever
/// node is primary), medians to docs/reliability.md. Needs postgresql-15-auto-failover and pg-auto-failover-cli.
/// </summary>
public static class FailoverBenchmark
{
    public static async Task<int> RunAsync(string root, int runs)
    {
        await CliImport.PrepareAsync(root);
        var cluster = new FailoverCluster(Path.Combine(Path.GetTempPath(), $"claimledger-ha-bench-{Guid.NewGuid():N}"[..36]));
        var results = new List<FailoverRun>();
        try
        {
            var layout = await cluster.UpAsync(message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
            await FailoverCluster.CreateRolesAsync(layout);
            await LedgerRoles.MigrateAsync(layout.OwnerConnectionString, LedgerStore.DefaultSchema, LedgerRoles.Application);
            for (var i = 1; i <= runs; i++)
            {
                AnsiConsole.MarkupLine($"[bold]Failover run {i} of {runs}[/]");
                var run = await FailoverScenario.RunAsync(cluster, CliImport.Dll, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3),
                    message => AnsiConsole.MarkupLine(Markup.Escape(message)));
                AnsiConsole.WriteLine($"  {(run.Promoted ? $"{run.NewPrimary} promoted" : "restarted in place")}, outage {run.WriteOutageSeconds:N1} s, acknowledged {run.Acknowledged}, lost {run.Lost}, duplicated {run.Duplicated}, " +
                    $"standby reads answered {run.ReadsAnsweredDuringOutage}/{run.ReadsDuringOutage}, verify {(run.VerifiedIntact ? "intact" : "BROKEN")}, " +
                    $"prefix {(run.DigestIsPrefix ? "holds" : "BROKEN")}, {run.OldPrimary} rejoined {(run.OldPrimaryRejoined ? $"after {run.RejoinSeconds:N1} s" : "NO")}");
                foreach (var problem in run.Problems)
                {
                    AnsiConsole.MarkupLine($"  [red]{Markup.Escape(problem)}[/]");
                }

                results.Add(run);
            }
        }
        finally
        {
            cluster.Down();
            Directory.Delete(cluster.Home, recursive: true);
        }

        ReliabilityDoc.WriteSection(root, "failover", Markdown(results));
        return results.All(r => r.Lost == 0 && r.Duplicated == 0 && r.VerifiedIntact && r.DigestIsPrefix && (r.OldPrimaryRejoined || !r.Promoted)) ? 0 : 1;
    }

    private static string Markdown(List<FailoverRun> runs)
    {
        static string Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            var middle = sorted.Count / 2;
            var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            return median.ToString("N1", CultureInfo.InvariantCulture);
        }

        var md = new StringBuilder();
        md.AppendLine("## Failover: the primary killed under load").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --failover {runs.Count}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()} (the machine is shared).");
        md.AppendLine("A pg_auto_failover monitor, primary and synchronous secondary on loopback (`claimledger cluster up`'s topology); `claimledger serve --prefer-standby` on it; " +
            "8 HTTP clients record claims and issue verdicts, each write with its own idempotency key and retried with it until acknowledged; a ninth lists claims every 50 ms (a read the server sends to the standby). " +
            "About 5 s in, the primary's postmaster gets SIGKILL; each run kills whichever node is primary then. The same scenario, once, is `FailoverTests` (integration tests, `Category=Slow`).").AppendLine();
        md.AppendLine("| Measure | Value |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs | {runs.Count} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| write outage (longest gap between acknowledged writes), median | {Median(runs.Select(r => r.WriteOutageSeconds))} s (runs: {string.Join(", ", runs.Select(r => r.WriteOutageSeconds.ToString("N1", CultureInfo.InvariantCulture)))}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| writes acknowledged (2xx) | {runs.Sum(r => r.Acknowledged):N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| acknowledged writes lost | {runs.Sum(r => r.Lost)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| writes present twice | {runs.Sum(r => r.Duplicated)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| writes never acknowledged (given up after 90 s) / of them in the ledger | {runs.Sum(r => r.Unacknowledged)} / {runs.Sum(r => r.UnacknowledgedPresent)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| list reads answered during the write outage (standby) | {runs.Sum(r => r.ReadsAnsweredDuringOutage)} of {runs.Sum(r => r.ReadsDuringOutage)} ({(runs.Sum(r => r.ReadsDuringOutage) == 0 ? 100 : 100.0 * runs.Sum(r => r.ReadsAnsweredDuringOutage) / runs.Sum(r => r.ReadsDuringOutage)):N0} %) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `audit verify --digest` (digest taken before the kill) on the new primary | {(runs.All(r => r.VerifiedIntact) ? "intact every run" : "BROKEN")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| digest before = root of the first entries after | {(runs.All(r => r.DigestIsPrefix) ? "every run" : "NO")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| the monitor promoted the secondary | {runs.Count(r => r.Promoted)} of {runs.Count} runs; in the others the killed primary's keeper restarted it (crash recovery in place) before the monitor acted |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| old primary back as secondary, same ledger head, where promoted | {runs.Count(r => r.OldPrimaryRejoined)} of {runs.Count(r => r.Promoted)}; median {(runs.Any(r => r.OldPrimaryRejoined) ? Median(runs.Where(r => r.OldPrimaryRejoined).Select(r => r.RejoinSeconds)) : "-")} s after the writes resumed |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| write outage, median of the promoted runs / of the in-place restarts | {(runs.Any(r => r.Promoted) ? Median(runs.Where(r => r.Promoted).Select(r => r.WriteOutageSeconds)) : "-")} s / {(runs.Any(r => !r.Promoted) ? Median(runs.Where(r => !r.Promoted).Select(r => r.WriteOutageSeconds)) : "-")} s |");
        return md.ToString();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}

/// <summary>docs/reliability.md is written by more than one benchmark; each owns a section between markers.</summary>
public static class ReliabilityDoc
{
    public static void WriteSection(string root, string name, string markdown)
    {
        var path = Path.Combine(root, "docs", "reliability.md");
        var (begin, end) = ($"<!-- {name}: written by the benchmark -->", $"<!-- /{name} -->");
        var section = $"{begin}\n{markdown.TrimEnd()}\n{end}\n";
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var at = text.IndexOf(begin, StringComparison.Ordinal);
        var until = text.IndexOf(end, StringComparison.Ordinal);
        text = at >= 0 && until > at
            ? text[..at] + section + text[(until + end.Length)..].TrimStart('\n')
            : text.TrimEnd() + (text.Length > 0 ? "\n\n" : "") + section;
        File.WriteAllText(path, text);
    }
}
