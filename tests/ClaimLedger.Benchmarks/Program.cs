using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClaimLedger.Benchmarks;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using ClaimLedger.Operations;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Spectre.Console;
using static ClaimLedger.Benchmarks.Timing;

var quick = args.Contains("--quick");
var root = FindRepository();
if (Array.IndexOf(args, "--generate") is var g and >= 0 && g + 2 < args.Length)
{
    var (generatedClaims, generatedSteps) = CorpusGenerator.Generate(Path.Combine(root, "seeds"), args[g + 2], int.Parse(args[g + 1], CultureInfo.InvariantCulture));
    AnsiConsole.MarkupLine($"Wrote {generatedClaims:N0} claims and {generatedSteps:N0} steps ({generatedClaims + generatedSteps:N0} events) to {Markup.Escape(args[g + 2])}");
    return 0;
}

if (args.Contains("--web"))
{
    return await WebRender.RunAsync(root, runs: quick ? 10 : 30);
}

if (Array.IndexOf(args, "--failover") is var f and >= 0)
{
    return await FailoverBenchmark.RunAsync(root, f + 1 < args.Length && int.TryParse(args[f + 1], out var runs) ? runs : 5);
}

if (args.Contains("--matching"))
{
    return await MatchingScenario.RunAsync(root, MatchingScenario.FindDataset(root, args), quick);
}

if (Array.IndexOf(args, "--http") is var h and >= 0 && h + 1 < args.Length)
{
    return await HttpOnly.RunAsync(root, int.Parse(args[h + 1], CultureInfo.InvariantCulture), seconds: 30);
}

if (Array.IndexOf(args, "--writers") is var wr and >= 0)
{
    return await WritersScenario.RunAsync(root, WritersScenario.Copies(args, wr), operations: quick ? 400 : 2000, recordFigures: !quick);
}

if (args.Contains("--soak"))
{
    return await Soak.RunAsync(root, commandsPerWriter: quick ? 250 : 1250);
}

var results = new List<Figure>();
var machine = new Dictionary<string, string>
{
    ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
    ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    [".NET"] = Environment.Version.ToString(),
    ["mode"] = quick ? "quick" : "full",
};
// Copies of the 108 seed claims: about 880 events each, so 12 → 10k, 120 → 100k, 1,200 → 1M events.
var sizes = quick ? new[] { 3, 12 } : new[] { 12, 120, 1_200 };
var repetitions = quick ? 1 : 3;
if (Array.IndexOf(args, "--sizes") is var at and >= 0 && at + 1 < args.Length)
{
    sizes = args[at + 1].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
}

await CliImport.PrepareAsync(root);

foreach (var durable in new[] { true, false })
{
    var label = durable ? "fsync=on (durable default)" : "fsync=off";
    AnsiConsole.MarkupLine($"[bold]Cluster with {label}[/]");
    var home = Path.Combine(Path.GetTempPath(), $"claimledger-bench-{Guid.NewGuid():N}"[..34]);
    var settings = durable
        ? new Dictionary<string, string> { ["max_connections"] = "100" }
        : new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off", ["max_connections"] = "100" };
    var postgres = new LocalPostgres(home, settings);
    try
    {
        var cluster = await postgres.EnsureRunningAsync();
        machine["postgresql"] = await ScalarAsync(cluster.ConnectionString, "show server_version");
        var growth = new List<(long Events, double ImportSeconds, double VerifySeconds)>();
        foreach (var copies in sizes)
        {
            var corpus = Path.Combine(home, $"corpus-{copies}");
            var (claims, steps) = CorpusGenerator.Generate(Path.Combine(root, "seeds"), corpus, copies);
            var events = claims + steps;
            var database = $"bench_{copies}";
            var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database }.ConnectionString;
            // Each repetition imports into a fresh database; the last one stays for the other scenarios.
            var imports = new List<CliImportRun>();
            for (var run = 0; run < repetitions; run++)
            {
                await ExecuteAsync(cluster.ConnectionString, $"drop database if exists {database} with (force)");
                await ExecuteAsync(cluster.ConnectionString, $"create database {database}");
                await using (var fresh = await BenchLedger.OpenAsync(connectionString, LedgerStore.DefaultSchema))
                {
                    AnsiConsole.MarkupLine($"  claimledger import of {claims:N0} claims, {events:N0} events ({run + 1} of {repetitions})");
                }

                imports.Add(await CliImport.RunAsync(connectionString, corpus));
            }

            Directory.Delete(corpus, recursive: true);
            await using var ledger = await BenchLedger.OpenAsync(connectionString, LedgerStore.DefaultSchema);
            var importSeconds = Median(imports.Select(i => i.ImportSeconds));
            var verifies = new List<VerifyLedger.Report>();
            for (var run = 0; run < repetitions; run++)
            {
                verifies.Add(await ledger.Send(new VerifyLedger.Query()));
            }

            var verify = verifies.OrderBy(v => v.Elapsed).ElementAt(verifies.Count / 2);
            growth.Add((events, importSeconds, verify.Elapsed.TotalSeconds));
            if (verifies.Any(v => !v.Intact))
            {
                throw new InvalidOperationException("The imported ledger does not verify.");
            }

            if (copies != sizes[^1])
            {
                continue;
            }

            results.Add(new("1. Import", label, $"claimledger import, {claims:N0} claims / {events:N0} events (validated, hash chain, read model)", events / importSeconds, "events/s",
                $"median of {repetitions}: {importSeconds:F1} s import ({Median(imports.Select(i => i.WallSeconds)):F1} s with process start; runs {string.Join(", ", imports.Select(i => $"{i.ImportSeconds:F1}"))} s); " +
                $"peak resident memory {imports.Max(i => i.PeakBytes) / 1048576.0:F0} MB"));
            var copyRates = new List<double>();
            for (var run = 0; run < repetitions; run++)
            {
                copyRates.Add(await RawCopyRateAsync(cluster.ConnectionString, events));
            }

            results.Add(new("1. Import", label, "raw Npgsql binary COPY of rows of the same shape", Median(copyRates), "rows/s", $"the physical limit; median of {repetitions}"));
            results.Add(new("4. Audit", label, $"audit verify over {verify.Events:N0} events", verify.Events / verify.Elapsed.TotalSeconds, "events/s",
                $"median of {repetitions}: {verify.Elapsed.TotalSeconds:F2} s (runs {string.Join(", ", verifies.Select(v => $"{v.Elapsed.TotalSeconds:F2}"))} s)"));
            await using (var empty = await BenchLedger.OpenAsync(connectionString, "ceiling"))
            {
                results.Add(new("1. Import", label, "ceiling: the imported rows COPYed into the ledger's real tables (indexes, foreign key), no client work", await Ceilings.LedgerTablesCopyRateAsync(connectionString, ledger.Schema, empty.Schema), "events/s",
                    "streams, events and ledger entries, one transaction"));
            }

            var scanRates = new List<double>();
            for (var run = 0; run < repetitions; run++)
            {
                scanRates.Add(await RawScanRateAsync(connectionString, ledger.Schema));
            }

            results.Add(new("4. Audit", label, "raw SELECT of the same rows", Median(scanRates), "rows/s", $"ledger + events, one connection each; median of {repetitions}"));
            results.Add(new("4. Audit", label, "ceiling: re-hashing 200,000 events already in memory, both cores", await Ceilings.RehashRateAsync(new LedgerRows(new ClaimLedgerOptions(connectionString, ledger.Schema)), 200_000), "events/s",
                "canonical JSON + SHA-256 per event, no reading"));
            await ReadsAsync(ledger, label, results);
            await WritesAsync(ledger, label, results, quick ? 300 : 2000);
            results.AddRange(await HttpScenario.RunAsync(connectionString, ledger, label, seconds: quick ? 5 : 30, cluster.DataDirectory));
            results.Add(await RebuildAsync(ledger, label, repetitions));
        }

        var (n1, t1, v1) = growth[0];
        var (n2, t2, v2) = growth[^1];
        // One size (--sizes 120) has no growth to tell, and its exponent would be 0/0.
        if (n2 != n1)
        {
            results.Add(new("7. Growth", label, $"import {n1:N0} → {n2:N0} events", Math.Log(t2 / t1) / Math.Log((double)n2 / n1), "exponent", $"{t1:F1} s → {t2:F1} s"));
            results.Add(new("7. Growth", label, $"verify {n1:N0} → {n2:N0} events", Math.Log(v2 / v1) / Math.Log((double)n2 / n1), "exponent", $"{v1:F2} s → {v2:F2} s"));
        }
    }
    finally
    {
        postgres.Stop(immediate: true);
        Directory.Delete(home, recursive: true);
    }
}

Report.Write(results, machine, Path.Combine(root, "docs"));
Directory.Delete(Path.GetDirectoryName(CliImport.Dll)!, recursive: true);
return 0;

static async Task<Figure> RebuildAsync(BenchLedger ledger, string label, int repetitions)
{
    var runs = new List<RebuildReadModels.Result>();
    for (var run = 0; run < repetitions; run++)
    {
        runs.Add(await ledger.Send(new RebuildReadModels.Command()));
    }

    var rebuilt = runs.OrderBy(r => r.Elapsed).ElementAt(runs.Count / 2);
    return new("5. Rebuild", label, $"read models of {rebuilt.Claims:N0} claims rebuilt from {rebuilt.Events:N0} events (claimledger db rebuild)",
        rebuilt.Events / rebuilt.Elapsed.TotalSeconds, "events/s", $"median of {repetitions}: {rebuilt.Elapsed.TotalSeconds:F1} s");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static async Task ReadsAsync(BenchLedger ledger, string label, List<Figure> results)
{
    var ids = (await ledger.Send(new ListClaims.Query(PageSize: 500))).Items.Select(c => c.Id).ToArray();
    await using var session = ledger.Store.QuerySession();
    var longest = await session.Query<Claim>().OrderByDescending(c => c.Version).FirstAsync();
    var random = new Random(7);
    results.Add(Latency("3. Reads", label, "get claim (read model)", await MeasureAsync(500, _ => ledger.Send(new GetClaim.Query(ids[random.Next(ids.Length)])))));
    results.Add(Latency("3. Reads", label, "list/search page (20, verdict filter)", await MeasureAsync(200, _ => ledger.Send(new ListClaims.Query(Verdict: Rating.True)))));
    results.Add(Latency("3. Reads", label, $"history of a {longest.Version}-event claim", await MeasureAsync(200, _ => ledger.Send(new ClaimHistory.Query(longest.Id)))));
    results.Add(Latency("3. Reads", label, $"as-of replay of {longest.Version} events by version", await MeasureAsync(200, _ => ledger.Send(new ClaimAsOf.Query(longest.Id, Version: longest.Version)))));
    results.Add(Latency("3. Reads", label, $"as-of replay of {longest.Version} events by timestamp", await MeasureAsync(200, _ => ledger.Send(new ClaimAsOf.Query(longest.Id, At: longest.LastChangedAt)))));
}

static async Task WritesAsync(BenchLedger ledger, string label, List<Figure> results, int operations)
{
    var context = new WriteContext("Benchmark Checker");
    var cnn = await ledger.Send(new GetDocument.Query("cnn-2023-02-22-wang-yi-strengthen-ties-russia"));
    var cited = await ledger.Send(new GetDocument.Query("reuters-2023-01-13-customs"));
    var appearance = new SourceRef(cnn.Id, 0, 20, cnn.Text[..20]);
    var corroboration = new SourceRef(cited.Id, 0, 20, cited.Text[..20]);
    var run = Guid.NewGuid().ToString("N")[..6];
    string Id(int i) => $"w-{run}-{i}";
    Task<WriteResult> Record(int i) => ledger.Send(new RecordClaim.Command(Id(i), ClaimKind.Statement, $"benchmark claim {i}", new Dictionary<string, string?>(), appearance, context));

    await MeasureAsync(50, i => Record(1_000_000 + i));
    results.Add(Latency("2. Writes", label, "record (full pipeline, one writer)", await MeasureAsync(operations, Record)));
    results.Add(Latency("2. Writes", label, "corroborate (full pipeline, one writer)",
        await MeasureAsync(operations, i => ledger.Send(new CorroborateClaim.Command(Id(i), corroboration, null, null, context)))));
    results.Add(Latency("2. Writes", label, "verdict (full pipeline, one writer)",
        await MeasureAsync(operations, i => ledger.Send(new IssueVerdict.Command(Id(i), Rating.True, "benchmark", [corroboration], null, context)))));

    var streamBase = $"bare-{run}";
    results.Add(Latency("2. Writes", label, "reference: bare Marten append + SaveChanges of one event", await MeasureAsync(operations, async i =>
    {
        await using var session = ledger.Store.LightweightSession();
        session.Events.Append($"{streamBase}-{i}", new ClaimRetracted("x", "benchmark", "b", DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    })));

    // Issue 16 sets 8 writers against one: the ratio is in the notes.
    double? one = null;
    foreach (var (shape, writers, claimsFor) in new (string, int, Func<int, int, string>)[]
    {
        ("1 writer", 1, (w, n) => Id(n)),
        ("8 writers, distinct claims", 8, (w, n) => Id((w * (operations / 8)) + n)),
        ("8 writers, the same 4 claims", 8, (w, n) => Id(n % 4)),
    })
    {
        var per = operations / writers;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; n < per; n++)
            {
                await ledger.Send(new DisputeClaim.Command(claimsFor(w, n), $"writer {w} note {n}", [], null, context));
            }
        })));
        var rate = writers * per / clock.Elapsed.TotalSeconds;
        one ??= rate;
        results.Add(new("2. Writes", label, $"dispute, {shape}", rate, "commands/s", writers == 1 ? $"{per} commands" : $"{writers * per} commands; {rate / one:F2}× one writer"));
    }
}

static Figure Latency(string scenario, string label, string what, List<double> latencies)
{
    var sorted = latencies.Order().ToArray();
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    return new(scenario, label, what, At(0.5), "ms p50", $"p99 {At(0.99):F2} ms, {sorted.Length} runs");
}

static async Task<double> RawCopyRateAsync(string connectionString, long rows)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using (var create = new NpgsqlCommand("drop table if exists bench_raw; create table bench_raw (seq bigserial primary key, id uuid not null, stream_id varchar not null, version bigint not null, data jsonb not null, type varchar not null, timestamp timestamptz not null, user_name varchar, entry_hash bytea not null, prev_hash bytea not null, unique (stream_id, version))", connection))
    {
        await create.ExecuteNonQueryAsync();
    }

    var payload = JsonSerializer.Serialize(new { claimId = "trade-cn-ru-2022-total", reason = new string('x', 180), evidence = Array.Empty<object>(), actor = "Benchmark Checker" });
    var hash = new byte[32];
    var clock = Stopwatch.StartNew();
    await using (var writer = await connection.BeginBinaryImportAsync("copy bench_raw (id, stream_id, version, data, type, timestamp, user_name, entry_hash, prev_hash) from stdin (format binary)"))
    {
        for (var i = 0; i < rows; i++)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
            await writer.WriteAsync($"claim-{i / 8}", NpgsqlDbType.Varchar);
            await writer.WriteAsync((long)(i % 8) + 1, NpgsqlDbType.Bigint);
            await writer.WriteAsync(payload, NpgsqlDbType.Jsonb);
            await writer.WriteAsync("claim_disputed", NpgsqlDbType.Varchar);
            await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync("Benchmark Checker", NpgsqlDbType.Varchar);
            await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
            await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
        }

        await writer.CompleteAsync();
    }

    return rows / clock.Elapsed.TotalSeconds;
}

static async Task<double> RawScanRateAsync(string connectionString, string schema)
{
    var clock = Stopwatch.StartNew();
    var counts = await Task.WhenAll(
        CountAsync(connectionString, $"select position, stream_id, version, event_id, entry_hash, prev_hash from {schema}.cl_ledger_entries order by position"),
        CountAsync(connectionString, $"select id, stream_id, version, type, timestamp, data::text, user_name from {schema}.mt_events order by seq_id"));
    return counts[1] / clock.Elapsed.TotalSeconds;
}

static async Task<long> CountAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await using var reader = await command.ExecuteReaderAsync();
    long rows = 0;
    while (await reader.ReadAsync())
    {
        for (var c = 0; c < reader.FieldCount; c++)
        {
            _ = reader.GetValue(c);
        }

        rows++;
    }

    return rows;
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<string> ScalarAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return (await command.ExecuteScalarAsync())?.ToString() ?? "";
}

static string FindRepository()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "ClaimLedger.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmarks from inside the ClaimLedger repository.");
}

internal sealed record Figure(string Scenario, string Durability, string What, double Value, string Unit, string Notes);

/// <summary>The ledger under test: the composition root over one schema of the benchmark cluster.</summary>
internal sealed class BenchLedger : IAsyncDisposable, IRequestSender
{
    private readonly ServiceProvider _provider;

    private BenchLedger(ServiceProvider provider, string schema)
    {
        _provider = provider;
        Schema = schema;
    }

    public string Schema { get; }
    public IDocumentStore Store => _provider.GetRequiredService<IDocumentStore>();

    public T Service<T>() where T : notnull => _provider.GetRequiredService<T>();

    public static async Task<BenchLedger> OpenAsync(string connectionString, string schema)
    {
        var provider = new ServiceCollection().AddClaimLedger(new ClaimLedgerOptions(connectionString, schema, AutoCreateSchema: true)).BuildServiceProvider();
        await provider.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new BenchLedger(provider, schema);
    }

    public async Task<T> Send<T>(IRequest<T> request)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
