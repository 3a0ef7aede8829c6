using System.Globalization;
using ClaimLedger.Infrastructure;
using Npgsql;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// <c>--http COPIES</c>: only the HTTP scenario, on a durable (fsync=on) cluster holding COPIES copies of the seed
/// claims, for profiling the API between full runs. Prints its figures and records them in their own section of
/// docs/benchmarks.md.
/// </summary>
internal static class HttpOnly
{
    public static async Task<int> RunAsync(string root, int copies, int seconds)
    {
        await CliImport.PrepareAsync(root);
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-bench-{Guid.NewGuid():N}"[..34]);
        var postgres = new LocalPostgres(home, new Dictionary<string, string> { ["max_connections"] = "100" });
        try
        {
            var cluster = await postgres.EnsureRunningAsync();
            var corpus = Path.Combine(home, "corpus");
            var (claims, steps) = CorpusGenerator.Generate(Path.Combine(root, "seeds"), corpus, copies);
            var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "bench_http" }.ConnectionString;
            await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand("create database bench_http", admin);
                await create.ExecuteNonQueryAsync();
            }

            await using (await BenchLedger.OpenAsync(connectionString, LedgerStore.DefaultSchema))
            {
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"Importing {claims:N0} claims, {claims + steps:N0} events");
            }

            await CliImport.RunAsync(connectionString, corpus);
            await using var ledger = await BenchLedger.OpenAsync(connectionString, LedgerStore.DefaultSchema);
            var figures = await HttpScenario.RunAsync(connectionString, ledger, "fsync=on (durable default)", seconds, cluster.DataDirectory);
            foreach (var figure in figures)
            {
                AnsiConsole.WriteLine($"{figure.What}: {figure.Value:N0} {figure.Unit} — {figure.Notes}");
            }

            await Report.WriteSectionAsync(Path.Combine(root, "docs"), "http", "The API under wrk (issue 15)",
                $"Written by `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --http {copies}` (durable cluster, fsync on, {claims:N0} claims, {claims + steps:N0} events)",
                ["| What | Value | Unit | Notes |", "|---|---:|---|---|", .. figures.Select(f => $"| {f.What} | {f.Value:N0} | {f.Unit} | {f.Notes} |")]);

            return 0;
        }
        finally
        {
            postgres.Stop();
            Directory.Delete(home, recursive: true);
        }
    }
}
