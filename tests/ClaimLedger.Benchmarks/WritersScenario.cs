using System.Diagnostics;
using System.Globalization;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using ClaimLedger.Matching;
using Npgsql;
using Spectre.Console;
using static ClaimLedger.Benchmarks.Timing;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// Issue 16, part 1, on its own (<c>-- --writers [COPIES]</c>), durable cluster (fsync on): one writer against 8 on distinct
/// claims, single-writer latency of record and verdict, how long committed entries wait for their positions under the
/// 8-writer load, and a writer's latency while <c>claimledger import</c> of COPIES seed copies (1,200 ≈ 1M events) runs.
/// A sequencer runs beside the writers as the server's would (one batch every 50 ms, at once while there is a backlog).
/// Prints the figures, and a full run (not <c>--quick</c>) records them in their own section of docs/benchmarks.md.
/// </summary>
internal static class WritersScenario
{
    public static async Task<int> RunAsync(string root, int importCopies, int operations, bool recordFigures)
    {
        await CliImport.PrepareAsync(root);
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-writers-{Guid.NewGuid():N}"[..36]);
        var postgres = new LocalPostgres(home, new Dictionary<string, string> { ["max_connections"] = "100" });
        var rows = new List<(string What, string Value, string Notes)>();
        // Each figure is printed as soon as it is measured, so a long run that is stopped still reports what it got.
        void Add((string What, string Value, string Notes) row)
        {
            rows.Add(row);
            AnsiConsole.MarkupLine($"  {Markup.Escape(row.What)}: [bold]{Markup.Escape(row.Value)}[/] ({Markup.Escape(row.Notes)})");
        }

        try
        {
            var cluster = await postgres.EnsureRunningAsync();
            await Execute(cluster.ConnectionString, "create database bench_writers");
            var connection = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "bench_writers" }.ConnectionString;
            await using var ledger = await BenchLedger.OpenAsync(connection, LedgerStore.DefaultSchema);
            var sequenced = await Scalar<bool>(connection, $"select to_regclass('{ledger.Schema}.cl_ledger_queue') is not null");
            AnsiConsole.MarkupLine(sequenced ? "Ledger with a sequencer (cl_ledger_queue present)" : "Ledger with the position trigger (no sequencer)");
            const string text = "Wire one says trade reached one trillion in the year.";
            var context = new WriteContext("Benchmark Checker");
            await ledger.Send(new RegisterDocument.Command("wire-one", "Wire One", "t", null, null, "en", DocumentKind.Article, text, context));
            const string desk = "Desk note: customs data put the year's trade at one trillion.";
            await ledger.Send(new RegisterDocument.Command("desk-note", "Research desk", "t", null, null, "en", DocumentKind.Evidence, desk, context));
            var appearance = new SourceRef("wire-one", 0, 8, text[..8]);
            var corroboration = new SourceRef("desk-note", 0, 9, desk[..9]);
            var run = Guid.NewGuid().ToString("N")[..6];
            string Id(int i) => $"w-{run}-{i}";
            Task<WriteResult> Record(int i) => ledger.Send(new RecordClaim.Command(Id(i), ClaimKind.Statement, $"benchmark claim {i}", new Dictionary<string, string?>(), appearance, context));

            using var stop = new CancellationTokenSource();
            var sequencer = sequenced ? Task.Run(() => SequenceAsync(connection, ledger.Schema, stop.Token)) : Task.CompletedTask;

            var cpu = new CpuMeter(cluster.DataDirectory);
            // CPU per command of this process (the whole pipeline, and matching's background embedding) and of PostgreSQL
            // (the sequencer's share included), and how many of the 2 cores each kept busy.
            string Cpu(CpuMeter.Sample start, int commands)
            {
                var used = CpuMeter.Since(start, cpu.Read());
                return $"CPU per command: client {used.Client.TotalMicroseconds / commands:F0} µs, PostgreSQL {used.Server.TotalMicroseconds / commands:F0} µs; " +
                    $"cores busy: client {used.Client / used.Wall:F2}, PostgreSQL {used.Server / used.Wall:F2}";
            }

            await MeasureAsync(50, i => Record(1_000_000 + i));
            var measuredFrom = cpu.Read();
            var record = await MeasureAsync(operations, Record);
            // The CPU of a record includes embedding its statement for matching, which runs after the write has returned.
            var embedded = Stopwatch.StartNew();
            await ledger.Service<ClaimEmbeddingQueue>().CaughtUpAsync();
            Add(("record, one writer", $"{Percentile(record, 0.5):F2} ms p50",
                $"p99 {Percentile(record, 0.99):F2} ms, {operations} runs; every claim embedded for matching {embedded.Elapsed.TotalMilliseconds:F0} ms after the last record returned; {Cpu(measuredFrom, operations)}"));
            await MeasureAsync(operations, i => ledger.Send(new CorroborateClaim.Command(Id(i), corroboration, null, null, context)));
            measuredFrom = cpu.Read();
            var verdict = await MeasureAsync(operations, i => ledger.Send(new IssueVerdict.Command(Id(i), Rating.True, "benchmark", [corroboration], null, context)));
            Add(("verdict, one writer", $"{Percentile(verdict, 0.5):F2} ms p50", $"p99 {Percentile(verdict, 0.99):F2} ms, {operations} runs; {Cpu(measuredFrom, operations)}"));

            measuredFrom = cpu.Read();
            var one = await DisputesAsync(ledger, writers: 1, operations, (w, n) => Id(n), context);
            Add(("dispute, 1 writer", $"{one:F0} commands/s", $"{operations} commands; {Cpu(measuredFrom, operations)}"));
            var lag = new List<double>();
            using (var sampling = new CancellationTokenSource())
            {
                var sampler = sequenced ? Task.Run(() => SampleLagAsync(connection, ledger.Schema, lag, sampling.Token)) : Task.CompletedTask;
                measuredFrom = cpu.Read();
                var eight = await DisputesAsync(ledger, writers: 8, operations, (w, n) => Id((w * (operations / 8)) + n), context);
                var usage = Cpu(measuredFrom, operations);
                await sampling.CancelAsync();
                await sampler;
                Add(("dispute, 8 writers, distinct claims", $"{eight:F0} commands/s", $"{operations} commands; {eight / one:F2}× one writer; {usage}"));
            }

            Add(sequenced
                ? ("sequencing lag under the 8 writers", $"{Percentile(lag, 0.99) * 1000:F0} ms p99", $"age of the oldest unsequenced entry, sampled every 20 ms ({lag.Count} samples); p50 {Percentile(lag, 0.5) * 1000:F0} ms, max {lag.Max() * 1000:F0} ms")
                : ("sequencing lag under the 8 writers", "0 ms", "positions are assigned inside the writer's commit"));

            if (importCopies > 0)
            {
                var corpus = Path.Combine(home, "corpus");
                var (claims, steps) = CorpusGenerator.Generate(Path.Combine(root, "seeds"), corpus, importCopies);
                AnsiConsole.MarkupLine($"Import of {claims + steps:N0} events while one writer records claims");
                var import = Task.Run(() => CliImport.RunAsync(connection, corpus));
                var during = new List<double>();
                var clock = Stopwatch.StartNew();
                // The import starts its transaction after reading and checking the seeds; the writer runs for the whole import.
                for (var i = 0; !import.IsCompleted; i++)
                {
                    var started = Stopwatch.StartNew();
                    await Record(2_000_000 + i);
                    during.Add(started.Elapsed.TotalMilliseconds);
                    await Task.Delay(5);
                }

                var imported = await import;
                var importedAt = clock.Elapsed;
                var caughtUp = sequenced ? await WaitForEmptyQueueAsync(connection, ledger.Schema) : TimeSpan.Zero;
                Add(($"record while claimledger import of {claims + steps:N0} events runs", $"{Percentile(during, 0.99):F1} ms p99",
                    $"p50 {Percentile(during, 0.5):F2} ms, max {during.Max():F0} ms, {during.Count} records during {importedAt.TotalSeconds:F1} s; import {imported.ImportSeconds:F1} s"));
                Add(("sequencing the import's entries after it committed", $"{caughtUp.TotalSeconds:F1} s", sequenced ? "until the queue was empty, writer still running before" : "inside the import's own transaction"));
                Directory.Delete(corpus, recursive: true);
            }

            await stop.CancelAsync();
            await sequencer;
            if (sequenced)
            {
                await Execute(connection, $"select {ledger.Schema}.cl_ledger_sequence(1000000000)");
            }

            var report = await ledger.Send(new VerifyLedger.Query());
            Add(("verify after the run", report.Intact ? "intact" : $"{report.Breaks.Count} breaks", $"{report.Entries:N0} entries, {report.Events:N0} events"));

            var table = new Table().AddColumns("What", "Value", "Notes");
            foreach (var (what, value, notes) in rows)
            {
                table.AddRow(Markup.Escape(what), Markup.Escape(value), Markup.Escape(notes));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"load average at the end: {Markup.Escape(File.ReadAllText("/proc/loadavg").Trim())}");
            if (recordFigures)
            {
                await Report.WriteSectionAsync(Path.Combine(root, "docs"), "writers", "Writers in parallel and one writer's latency (issue 16, part 1)",
                    $"Written by `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --writers {importCopies}` (durable cluster, fsync on, {operations:N0} commands per figure)",
                    ["| What | Value | Notes |", "|---|---:|---|", .. rows.Select(r => $"| {r.What} | {r.Value} | {r.Notes} |")]);
            }
            return report.Intact ? 0 : 1;
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<double> DisputesAsync(BenchLedger ledger, int writers, int operations, Func<int, int, string> claimFor, WriteContext context)
    {
        var per = operations / writers;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; n < per; n++)
            {
                await ledger.Send(new DisputeClaim.Command(claimFor(w, n), $"writer {w} note {n}", [], null, context));
            }
        })));
        return writers * per / clock.Elapsed.TotalSeconds;
    }

    /// <summary>What the server's sequencer service does, by SQL, so this file also builds against a ledger without one.</summary>
    private static async Task SequenceAsync(string connectionString, string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            await using var sequence = new NpgsqlCommand($"select {schema}.cl_ledger_sequence(10000)", connection);
            try
            {
                if ((long)(await sequence.ExecuteScalarAsync(ct))! < 10_000)
                {
                    await Task.Delay(50, ct);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task SampleLagAsync(string connectionString, string schema, List<double> samples, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!ct.IsCancellationRequested)
        {
            await using var age = new NpgsqlCommand(
                $"select coalesce(extract(epoch from clock_timestamp() - min(written_at))::float8, 0) from {schema}.cl_ledger_queue", connection);
            samples.Add((double)(await age.ExecuteScalarAsync(CancellationToken.None))!);
            try
            {
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<TimeSpan> WaitForEmptyQueueAsync(string connectionString, string schema)
    {
        var clock = Stopwatch.StartNew();
        while (await Scalar<long>(connectionString, $"select count(*) from {schema}.cl_ledger_queue") > 0)
        {
            await Task.Delay(20);
        }

        return clock.Elapsed;
    }

    private static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static int Copies(string[] args, int at) =>
        at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var copies) ? copies : 1_200;
}
