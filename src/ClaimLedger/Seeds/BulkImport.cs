using ClaimLedger.Claims;
using ClaimLedger.Common;
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
    public const int BatchSize = 5_000;

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
        using var parts = SeedPartitions.For(seeds);
        var inputBytes = Length(seeds, SeedSet.ClaimsFile) + Length(seeds, SeedSet.ScenarioFile);
        var run = new Run(seeds, progress, (int)(inputBytes * (parts is null ? 1 : 2) / 1024));
        if (parts is not null)
        {
            // A first pass checks every seed and splits them by claim; nothing reaches the database until all have passed.
            var recordedAt = new Dictionary<string, DateTimeOffset>();
            foreach (var claim in seeds.ReadClaims((id, entry) => parts.Write(SeedSet.ClaimsFile, id, entry)))
            {
                recordedAt[claim.Id] = claim.At;
            }

            foreach (var step in seeds.ReadScenario(id => recordedAt.TryGetValue(id, out var at) ? at : null, (id, entry) => parts.Write(SeedSet.ScenarioFile, id, entry)))
            {
                run.Report(step.ClaimId);
            }

            if (seeds.Problems.Count > 0)
            {
                throw new SeedValidationException(seeds.Problems);
            }

            parts.Complete();
            run.StartSecondPass();
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var writer = new LedgerCopyWriter(connection, options.Schema, store);
        await writer.BeginAsync(ct);
        var sources = parts is null ? [seeds] : Enumerable.Range(0, parts.Count).Select(part => seeds.Part(parts.Folder(part)));
        foreach (var source in sources)
        {
            var claims = await run.DecideAndSendAsync(source, writer, ct);
            if (seeds.Problems.Count == 0)
            {
                await writer.WriteAsync(run.TakeBatch(), ct);
                await writer.FinishClaimsAsync(claims, ct);
            }
        }

        if (seeds.Problems.Count > 0)
        {
            // Disposing the transaction rolls it back: whatever was sent is gone.
            throw new SeedValidationException(seeds.Problems);
        }

        await alongside(transaction, ct);
        await transaction.CommitAsync(ct);
        await writer.AnalyzeAsync(ct);
        run.Done();
        return new Outcome(run.Claims, run.Steps, run.Added);
    }

    private static long Length(SeedSet seeds, string file) =>
        File.Exists(Path.Combine(seeds.Folder, file)) ? new FileInfo(Path.Combine(seeds.Folder, file)).Length : 0;

    /// <summary>One import's running state: the batch being filled, and what has been added so far.</summary>
    private sealed class Run(SeedSet seeds, IProgress<ImportSeeds.Progress>? progress, int totalKb)
    {
        private List<LedgerCopyWriter.Pending> _batch = new(BatchSize);
        private long _bytesBefore;
        private int _reported;

        public int Claims { get; private set; }
        public int Steps { get; private set; }
        public Dictionary<string, int> Added { get; } = [];

        public void Report(string current)
        {
            if (++_reported % BatchSize == 0)
            {
                progress?.Report(new ImportSeeds.Progress((int)((_bytesBefore + seeds.BytesRead) / 1024), totalKb, current));
            }
        }

        public void StartSecondPass() => _bytesBefore = seeds.BytesRead;

        public void Done() => progress?.Report(new ImportSeeds.Progress(totalKb, totalKb, "done"));

        public List<LedgerCopyWriter.Pending> TakeBatch()
        {
            var batch = _batch;
            _batch = new List<LedgerCopyWriter.Pending>(BatchSize);
            return batch;
        }

        /// <summary>Decides every claim and step of <paramref name="source"/> in file order and sends the events in batches; returns the claims' final states.</summary>
        public async Task<List<Claim>> DecideAndSendAsync(SeedSet source, LedgerCopyWriter writer, CancellationToken ct)
        {
            var claims = new Dictionary<string, Tracked>();
            async Task AddAsync(Tracked tracked, IClaimEvent data, WriteContext context)
            {
                Steps++;
                if (seeds.Problems.Count > 0)
                {
                    return;
                }

                _batch.Add(new LedgerCopyWriter.Pending(tracked.State!.Id, tracked.State.Version, data, data.At, context, tracked.Chain));
                var type = data.GetType().Name;
                Added[type] = Added.GetValueOrDefault(type) + 1;
                if (_batch.Count == BatchSize)
                {
                    progress?.Report(new ImportSeeds.Progress((int)((_bytesBefore + source.BytesRead) / 1024), totalKb, tracked.State.Id));
                    await writer.WriteAsync(TakeBatch(), ct);
                }
            }

            foreach (var seed in source.ReadClaims())
            {
                Claims++;
                if (seeds.Problems.Count > 0)
                {
                    // From the first problem on the seeds are only read and checked, so that every problem is listed.
                    claims[seed.Id] = new Tracked(seed.At, null);
                    continue;
                }

                var recorded = source.Record(seed);
                var tracked = new Tracked(seed.At, ClaimEvolution.Evolve(null, recorded)!);
                claims[seed.Id] = tracked;
                await AddAsync(tracked, recorded, seed.Command.Context);
            }

            foreach (var step in source.ReadScenario(id => claims.TryGetValue(id, out var c) ? c.RecordedAt : null))
            {
                if (seeds.Problems.Count == 0 && claims.TryGetValue(step.ClaimId, out var tracked) && tracked.State is not null
                    && source.Apply(step, tracked.State) is { } decided)
                {
                    tracked.State = ClaimEvolution.Evolve(tracked.State, decided)!;
                    await AddAsync(tracked, decided, step.Command.Context);
                }
            }

            _bytesBefore += source == seeds ? 0 : source.BytesRead;
            return claims.Values.Where(c => c.State is not null).Select(c => c.State!).ToList();
        }
    }
}
