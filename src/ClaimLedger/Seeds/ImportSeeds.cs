using System.Diagnostics;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Services;
using MediatR;
using Npgsql;

namespace ClaimLedger.Seeds;

/// <summary>The seed files are wrong; nothing was written. Every problem is listed.</summary>
public sealed class SeedValidationException(IReadOnlyList<SeedProblem> problems)
    : Exception($"{problems.Count} problem(s) in the seed files; nothing was written.")
{
    public IReadOnlyList<SeedProblem> Problems { get; } = problems;
}

/// <summary>The seeds contradict what the ledger already holds; nothing was written or overwritten.</summary>
public sealed class SeedConflictException(IReadOnlyList<SeedProblem> conflicts)
    : Exception($"{conflicts.Count} seed(s) contradict what the ledger already holds; nothing was written.")
{
    public IReadOnlyList<SeedProblem> Conflicts { get; } = conflicts;
}

/// <summary>
/// Imports a seeds folder: validates everything first, then writes only what the ledger lacks, through the
/// same MediatR requests the CLI sends, keeping each seed step's recorded time (marked as imported).
/// Importing the same seeds again adds nothing; a seed that disagrees with an imported one is a conflict.
/// </summary>
public static class ImportSeeds
{
    public sealed record Command(string Path, IProgress<Progress>? Progress = null) : IRequest<Summary>;

    public sealed record Progress(int Done, int Total, string Current);

    public sealed record Summary(
        int Documents, int DocumentsAdded, int Claims, int ClaimsAdded, int StepsApplied, int StepsAlreadyPresent,
        IReadOnlyDictionary<string, int> EventsAdded, TimeSpan Elapsed);

    private sealed record PlannedWrite(string StepId, string Hash, IClaimCommand Command);

    /// <summary>Seed steps written per transaction: one commit per batch instead of one per step.</summary>
    public const int BatchSize = 500;

    public sealed class Handler(IMediator mediator, IDocumentStore store, ClaimWriter writer, ClaimLedgerOptions options, TimeProvider time, ILedgerStreams ledger)
        : IRequestHandler<Command, Summary>
    {
        public async Task<Summary> Handle(Command command, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            if (Directory.Exists(command.Path) && SeedSet.Open(command.Path) is { Problems.Count: 0 } streamed)
            {
                try
                {
                    return await ImportNewClaimsAsync(streamed, command.Progress, clock, cancellationToken);
                }
                catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pkey_mt_streams_id" })
                {
                    // The ledger already holds some of these claims: work out below, claim by claim, what it lacks.
                }
            }

            var seeds = SeedSet.Load(command.Path);
            if (seeds.Problems.Count > 0)
            {
                throw new SeedValidationException(seeds.Problems);
            }

            var (plan, alreadyPresent, conflicts) = await PlanAsync(seeds, cancellationToken);
            if (conflicts.Count > 0)
            {
                throw new SeedConflictException(conflicts);
            }

            var documentsAdded = 0;
            foreach (var document in seeds.Documents)
            {
                documentsAdded += (await mediator.Send(document.Command, cancellationToken)).Created ? 1 : 0;
            }

            var (claimsAdded, added) = await WriteAsync(plan, seeds, command.Progress, cancellationToken);
            command.Progress?.Report(new Progress(plan.Count, plan.Count, "done"));
            return new Summary(seeds.Documents.Count, documentsAdded, seeds.Claims.Count, claimsAdded, plan.Count, alreadyPresent, added, clock.Elapsed);
        }

        /// <summary>
        /// Writes the plan <see cref="BatchSize"/> steps per transaction, each step through the same append as a single write,
        /// on the claims' states as the batch has left them: a claim's unsaved events are not visible to a fresh fetch.
        /// </summary>
        private async Task<(int ClaimsAdded, Dictionary<string, int> EventsAdded)> WriteAsync(
            List<PlannedWrite> plan, SeedSet seeds, IProgress<Progress>? progress, CancellationToken ct)
        {
            var added = new Dictionary<string, int>();
            var (claimsAdded, done) = (0, 0);
            foreach (var batch in plan.Chunk(BatchSize))
            {
                await using var session = store.LightweightSession();
                var touched = new Dictionary<string, (IEventStream<Claim> Stream, Claim? State, byte[] LastHash)>();
                foreach (var write in batch)
                {
                    var claimId = write.Command.ClaimId;
                    progress?.Report(new Progress(done++, plan.Count, claimId));
                    if (!touched.TryGetValue(claimId, out var claim))
                    {
                        var stream = await session.Events.FetchForWriting<Claim>(claimId, ct);
                        claim = (stream, stream.Aggregate, stream.Aggregate is null ? Ledger.EntryHash.Genesis : await writer.LastEntryHashAsync(session, claimId, ct));
                    }

                    var appended = writer.Append(session, claim.Stream, claim.State, claim.LastHash, write.Command, seeds);
                    touched[claimId] = (claim.Stream, appended.Claim, appended.EntryHash);
                    claimsAdded += appended.Claim.Version == 1 ? 1 : 0;
                    var type = appended.Event.GetType().Name;
                    added[type] = added.GetValueOrDefault(type) + 1;
                }

                await session.SaveChangesAsync(ct);
            }

            return (claimsAdded, added);
        }

        /// <summary>
        /// The fast path, for seeds whose claims are all new to the ledger: streamed, checked and written in one transaction
        /// with the documents they cite. Throws a unique violation on mt_streams as soon as one claim turns out to exist.
        /// </summary>
        private async Task<Summary> ImportNewClaimsAsync(SeedSet seeds, IProgress<Progress>? progress, Stopwatch clock, CancellationToken ct)
        {
            await using (var query = store.QuerySession())
            {
                if (await DocumentConflictsAsync(query, seeds, ct) is { Count: > 0 } conflicts)
                {
                    throw new SeedConflictException(conflicts);
                }
            }

            var documentsAdded = 0;
            var outcome = await new BulkImport(store, options).RunAsync(seeds, progress, async (transaction, token) =>
            {
                await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
                foreach (var document in seeds.Documents)
                {
                    documentsAdded += (await RegisterDocument.Handler.RegisterAsync(session, ledger, document.Command, time.GetUtcNow(), token)).Created ? 1 : 0;
                }

                await session.SaveChangesAsync(token);
            }, ct);
            return new Summary(seeds.Documents.Count, documentsAdded, outcome.ClaimsAdded, outcome.ClaimsAdded, outcome.StepsApplied, 0, outcome.EventsAdded, clock.Elapsed);
        }

        private static async Task<List<SeedProblem>> DocumentConflictsAsync(IQuerySession session, SeedSet seeds, CancellationToken ct)
        {
            var existing = (await session.LoadManyAsync<SourceDocument>(ct, seeds.Documents.Select(d => d.Command.DocumentId!).ToArray())).ToDictionary(d => d.Id);
            return seeds.Documents
                .Where(d => existing.TryGetValue(d.Command.DocumentId!, out var held) && held.Sha256 != SourceDocument.HashOf(d.Command.Text))
                .Select(d => new SeedProblem(SeedSet.SourcesFile, $"documents '{d.Command.DocumentId}'", "file",
                    "the ledger holds another text under this id; a document never changes, so give the new text a new id"))
                .ToList();
        }

        /// <summary>The events already in the ledger for the given claims, fetched a thousand streams per query.</summary>
        private static async Task<ILookup<string, IEvent>> ExistingEventsAsync(IQuerySession session, List<string> claimIds, CancellationToken ct)
        {
            var events = new List<IEvent>();
            foreach (var chunk in claimIds.Chunk(1_000))
            {
                events.AddRange(await session.Events.QueryAllRawEvents()
                    .Where(e => e.StreamKey!.IsOneOf(chunk))
                    .OrderBy(e => e.Sequence)
                    .ToListAsync(ct));
            }

            return events.ToLookup(e => e.StreamKey!);
        }

        /// <summary>What each claim still lacks: the seed steps after those the ledger already holds, in order.</summary>
        private async Task<(List<PlannedWrite> Plan, int AlreadyPresent, List<SeedProblem> Conflicts)> PlanAsync(SeedSet seeds, CancellationToken ct)
        {
            var plan = new List<PlannedWrite>();
            await using var session = store.QuerySession();
            var conflicts = await DocumentConflictsAsync(session, seeds, ct);
            var alreadyPresent = 0;

            var stepsByClaim = seeds.Steps.ToLookup(s => s.ClaimId);
            var ledgerEvents = await ExistingEventsAsync(session, seeds.Claims.Select(c => c.Id).ToList(), ct);
            foreach (var claim in seeds.Claims)
            {
                var wanted = new List<PlannedWrite> { new(claim.StepId, claim.Hash, claim.Command) };
                wanted.AddRange(stepsByClaim[claim.Id].Select(step => new PlannedWrite(step.Id, step.Hash, step.Command)));

                var events = ledgerEvents[claim.Id].ToList();
                var imported = events.Select(e => (Step: e.GetHeader(ImportMark.StepHeader)?.ToString(), Hash: e.GetHeader(ImportMark.HashHeader)?.ToString())).ToList();
                var matched = 0;
                foreach (var (step, hash) in imported)
                {
                    if (step is null)
                    {
                        continue;
                    }

                    if (matched >= wanted.Count || wanted[matched].StepId != step || wanted[matched].Hash != hash)
                    {
                        var seed = matched < wanted.Count ? wanted[matched] : null;
                        conflicts.Add(new(seed?.StepId.StartsWith("record:", StringComparison.Ordinal) == false ? SeedSet.ScenarioFile : SeedSet.ClaimsFile,
                            $"claim '{claim.Id}'", seed?.StepId ?? "-",
                            $"the ledger already holds seed step '{step}' here, imported from a different seed; fix the seed or import it under a new id"));
                        break;
                    }

                    matched++;
                }

                if (events.Count > 0 && imported.All(i => i.Step is null))
                {
                    conflicts.Add(new(SeedSet.ClaimsFile, $"claim '{claim.Id}'", "id", "a claim with this id was recorded in the ledger by hand, not imported; rename the seed"));
                    continue;
                }

                alreadyPresent += matched;
                plan.AddRange(wanted.Skip(matched));
            }

            // Claim by claim, each in its own time order: a claim is then usually written whole within one batch, never re-read.
            return (plan, alreadyPresent, conflicts);
        }
    }
}
