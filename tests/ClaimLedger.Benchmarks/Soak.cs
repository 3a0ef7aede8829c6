using System.Globalization;
using System.Text;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

/// <summary>The long load run: 8 writers, mixed commands, 50 shared claims, on a durable cluster; figures to docs/reliability.md.</summary>
internal static class Soak
{
    public static async Task<int> RunAsync(string root, int commandsPerWriter)
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-soak-{Guid.NewGuid():N}"[..33]);
        var postgres = new LocalPostgres(home);
        try
        {
            var cluster = await postgres.EnsureRunningAsync();
            await using var ledger = await BenchLedger.OpenAsync(cluster.ConnectionString, "soak");
            const string a = "Wire one says the figure was one trillion.";
            const string b = "Wire two reports the same figure independently.";
            await ledger.Send(new RegisterDocument.Command("wire-one", "Wire One", "t", null, null, "en", DocumentKind.Article, a, new WriteContext("soak")));
            await ledger.Send(new RegisterDocument.Command("wire-two", "Wire Two", "t", null, null, "en", DocumentKind.Article, b, new WriteContext("soak")));
            var outcome = await LoadRun.RunAsync(ledger, writers: 8, commandsPerWriter, sharedClaims: 50, "wire-one", a, "wire-two", b);

            var table = new Table().AddColumns("Measure", "Value");
            foreach (var (name, value) in Rows(outcome))
            {
                table.AddRow(name, value);
            }

            AnsiConsole.Write(table);
            var md = new StringBuilder();
            md.AppendLine("# Reliability: measured figures").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Soak run of `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --soak`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, PostgreSQL with its durable defaults (`fsync=on`).");
            md.AppendLine("8 writers send mixed commands (record, corroborate, correct, verdict, dispute; a quarter of the disputes with a stale expected version) against 50 shared claims through the full pipeline. Each command carries a unique marker, so every event is traced back to the command that caused it.").AppendLine();
            md.AppendLine("| Measure | Value |").AppendLine("|---|---|");
            foreach (var (name, value) in Rows(outcome))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
            }

            md.AppendLine().AppendLine("The same run at CI size (800 commands) is `LoadTests` in the integration tests. The same load through the HTTP API is `HttpLoadTests`. Related tests: `DatabaseCrashTests` " +
                "(PostgreSQL stopped with -m immediate under an import and under API writes), `IdempotencyTests`, `LedgerPropertyTests` (FsCheck), " +
                "`ConcurrencyTests`, `FullDiskTests` (a tmpfs that fills up), `EmbeddedClusterTests` (stale pid, port taken, bad permissions), `HostileInputTests` (43 bad inputs over HTTP and 3 dangerous-looking texts stored verbatim; the importer's 11 are in `SeedImportTests`), and in `ApiTests` the lock-out after repeated wrong keys.");
            ReliabilityDoc.WriteSection(root, "soak", md.ToString());
            return outcome.Lost == 0 && outcome.Duplicated == 0 && outcome.Invented == 0 && outcome.ReadModelsMatch && outcome.LedgerIntact ? 0 : 1;
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }

    private static IEnumerable<(string, string)> Rows(LoadOutcome o) =>
    [
        ("commands sent", o.Commands.ToString("N0", CultureInfo.InvariantCulture)),
        ("accepted", o.Accepted.ToString("N0", CultureInfo.InvariantCulture)),
        ("refused (a rule or a stale version)", o.Refused.ToString("N0", CultureInfo.InvariantCulture)),
        ("lost (accepted, not in the ledger)", o.Lost.ToString("N0", CultureInfo.InvariantCulture)),
        ("duplicated (in the ledger twice)", o.Duplicated.ToString("N0", CultureInfo.InvariantCulture)),
        ("invented (in the ledger, never accepted)", o.Invented.ToString("N0", CultureInfo.InvariantCulture)),
        ("read models equal a fold of the events", o.ReadModelsMatch ? "yes" : "NO"),
        ("every hash chain verifies", o.LedgerIntact ? "yes" : "NO"),
        ("throughput", $"{o.CommandsPerSecond:N0} commands/s"),
    ];
}
