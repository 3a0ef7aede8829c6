using System.Runtime;
using ClaimLedger.Claims;
using ClaimLedger.Infrastructure;
using Marten;
using Npgsql;

namespace ClaimLedger.Seeds;

/// <summary>
/// The import of claims the ledger does not hold yet, streamed and written by binary COPY in one transaction.
/// Each seed is read, checked and decided by the same code as the step-by-step import, and its event, ledger entry
/// and read model are stored exactly as <see cref="ClaimWriter"/> stores them; only the round trips are gone.
/// Nothing is committed unless every seed passed every check, so a refused or interrupted import leaves no trace.
/// </summary>
internal sealed class BulkImport(IDocumentStore store, ClaimLedgerOptions options)
{
    /// <summary>Events sent per round of COPY: large enough to amortise the round, small enough to keep memory flat.</summary>
    public const int BatchSize = 10_000;

    public sealed record Outcome(int ClaimsAdded, int StepsApplied, IReadOnlyDictionary<string, int> EventsAdded);

    /// <param name="state">Null once a problem is found: from then on the seeds are only read and checked, not decided.</param>
    private sealed class Tracked(DateTimeOffset recordedAt, Claim? state)
    {
        public DateTimeOffset RecordedAt { get; } = recordedAt;
        public Claim? State { get; set; } = state;
        public LedgerCopyWriter.Chain Chain { get; } = new();
    }

    /// <param name="alongside">Runs in the same transaction once every seed has passed, before the commit: the documents are registered there.</param>
    public async Task<Outcome> RunAsync(
        SeedSet seeds, IProgress<ImportSeeds.Progress>? progress, Func<NpgsqlTransaction, CancellationToken, Task> alongside, CancellationToken ct)
    {
        // Throughput over pause times: the import allocates fast, and background collection would compete for the two cores.
        var latency = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            return await ImportAsync(seeds, progress, alongside, ct);
        }
        finally
        {
            GCSettings.LatencyMode = latency;
        }
    }

    private async Task<Outcome> ImportAsync(
        SeedSet seeds, IProgress<ImportSeeds.Progress>? progress, Func<NpgsqlTransaction, CancellationToken, Task> alongside, CancellationToken ct)
    {
        var totalKb = (int)((Length(seeds, SeedSet.ClaimsFile) + Length(seeds, SeedSet.ScenarioFile)) / 1024);
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var writer = new LedgerCopyWriter(connection, options.Schema, store);
        await writer.BeginAsync(ct);

        var claims = new Dictionary<string, Tracked>();
        var added = new Dictionary<string, int>();
        var steps = 0;
        var batch = new List<LedgerCopyWriter.Pending>(BatchSize);
        async Task AddAsync(Tracked tracked, object data, string stepId, string stepHash, DateTimeOffset at, string actor)
        {
            steps++;
            if (seeds.Problems.Count > 0)
            {
                return;
            }

            batch.Add(new LedgerCopyWriter.Pending(tracked.State!.Id, tracked.State.Version, data, actor, new ImportMark(at, stepId, stepHash), tracked.Chain));
            var type = data.GetType().Name;
            added[type] = added.GetValueOrDefault(type) + 1;
            if (batch.Count == BatchSize)
            {
                progress?.Report(new ImportSeeds.Progress((int)(seeds.BytesRead / 1024), totalKb, tracked.State.Id));
                await writer.WriteAsync(batch, ct);
                batch = new List<LedgerCopyWriter.Pending>(BatchSize);
            }
        }

        foreach (var seed in seeds.ReadClaims())
        {
            if (seeds.Problems.Count > 0)
            {
                // From the first problem on the seeds are only read and checked, so that every problem is listed.
                claims[seed.Id] = new Tracked(seed.At, null);
                continue;
            }

            var recorded = seeds.Record(seed);
            var tracked = new Tracked(seed.At, ClaimEvolution.Evolve(null, recorded)!);
            claims[seed.Id] = tracked;
            await AddAsync(tracked, recorded, $"record:{seed.Id}", seed.Hash, seed.At, seed.By);
        }

        foreach (var step in seeds.ReadScenario(id => claims.TryGetValue(id, out var c) ? c.RecordedAt : null))
        {
            if (seeds.Problems.Count == 0 && claims.TryGetValue(step.ClaimId, out var tracked) && tracked.State is not null
                && seeds.Apply(step, tracked.State) is { } decided)
            {
                tracked.State = ClaimEvolution.Evolve(tracked.State, decided)!;
                await AddAsync(tracked, decided, step.Id, step.Hash, step.At, step.By);
            }
        }

        if (seeds.Problems.Count > 0)
        {
            // Disposing the transaction rolls it back: whatever was sent is gone.
            throw new SeedValidationException(seeds.Problems);
        }

        await writer.WriteAsync(batch, ct);
        await writer.FinishAsync(claims.Values.Select(c => c.State!).ToList(), ct);
        await alongside(transaction, ct);
        await transaction.CommitAsync(ct);
        await writer.AnalyzeAsync(ct);
        progress?.Report(new ImportSeeds.Progress(totalKb, totalKb, "done"));
        return new Outcome(claims.Count, steps, added);
    }

    private static long Length(SeedSet seeds, string file) =>
        File.Exists(Path.Combine(seeds.Folder, file)) ? new FileInfo(Path.Combine(seeds.Folder, file)).Length : 0;
}
