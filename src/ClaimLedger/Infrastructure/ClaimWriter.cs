using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// The one write of a claim command: fetch the claim, decide, append the event and its chained ledger entry, save.
/// The entry goes to the ledger's queue, so the commit waits on no other claim's writer; <see cref="LedgerSequencer"/>
/// gives it its global position after the commit.
/// Without an expected version writers to one claim take turns on its row lock, and a write that still lost a race is
/// decided again on the fresh state, so no concurrent write is ever overwritten; with one, a stale version is a
/// <see cref="VersionConflictException"/>. The step-by-step seed import batches many of these appends in one session
/// through <see cref="Append"/>, the same step this write makes.
/// </summary>
public sealed class ClaimWriter(IDocumentStore store, TimeProvider clock, LedgerChain chain, LedgerAppender appender, SourceReferences references)
{
    private const int MaxAttempts = 8;

    /// <summary>What one append left: the claim as it now stands and its last entry hash, for the next append in the same session.</summary>
    internal sealed record Appended(Claim Claim, byte[] EntryHash, IClaimEvent Event);

    public async Task<WriteResult> WriteAsync(IClaimCommand command, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            // A joint command changes a second claim in the same transaction; streams are locked in id order, so two
            // joint writes over the same pair of claims wait for each other instead of deadlocking.
            IReadOnlyList<IClaimCommand> commands = command is IJointClaimCommand { WrittenWith: { } other } ? [command, other] : [command];
            var results = new Dictionary<string, WriteResult>();
            // The command's citations are read with the first claim's fetch and serve both claims of a joint write.
            ICheckedSources? sources = null;
            foreach (var each in commands.OrderBy(c => c.ClaimId, StringComparer.Ordinal))
            {
                (results[each.ClaimId], sources) = await AppendAsync(session, each, command.Citations, sources, ct);
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return results[command.ClaimId];
            }
            catch (Exception e) when (IsConcurrencyFailure(e))
            {
                if (command.Context.IdempotencyKey is { } used && await KeyUsedAsync(used, ct))
                {
                    throw;
                }

                // A failure that looks like a race while the claim is still at the expected version (as while the database
                // fails over) moved nothing: deciding again is the answer, not a 412 that says "at version 1, not 1".
                if (command.ExpectedVersion is { } stale && await CurrentVersionAsync(command.ClaimId, ct) is var current && current != stale)
                {
                    throw new VersionConflictException(command.ClaimId, stale, current);
                }

                if (attempt == MaxAttempts)
                {
                    throw new ClaimRuleException("too-much-contention", $"Claim '{command.ClaimId}' changed {MaxAttempts} times while this write was being decided; try again.");
                }
            }
        }
    }

    private async Task<(WriteResult, ICheckedSources)> AppendAsync(
        IDocumentSession session, IClaimCommand command, IReadOnlyList<Citation> citations, ICheckedSources? known, CancellationToken ct)
    {
        var (stream, previous, cited) = await FetchAsync(session, command, citations, known, ct);
        var claim = stream.Aggregate;
        if (command.ExpectedVersion is { } expected && expected != (claim?.Version ?? 0))
        {
            throw claim is null ? new NotFoundException("claim", command.ClaimId) : new VersionConflictException(command.ClaimId, expected, claim.Version);
        }

        var appended = Append(session, stream, claim, previous, command, cited);
        var result = new WriteResult(command.ClaimId, appended.Claim.Version, [appended.Event.GetType().Name]);
        if (command.Context.IdempotencyKey is { } key)
        {
            // In the write's own transaction, so two concurrent requests with one key cannot both write.
            session.Insert(new IdempotentWrite(key, IdempotentWrite.FingerprintOf(command), result, clock.GetUtcNow()));
        }

        return (result, cited);
    }

    /// <summary>
    /// Decides the command on the claim as it stands, then appends the event to the stream and its ledger entry, chained to
    /// <paramref name="previousHash"/>, to the session. Nothing is saved: the caller commits, once or for a whole batch.
    /// </summary>
    internal Appended Append(
        IDocumentSession session, IEventStream<Claim> stream, Claim? claim, byte[] previousHash, IClaimCommand command, ICheckedSources sources)
    {
        var at = LedgerChain.TimeOf(command.Context, clock.GetUtcNow());
        var decided = ClaimDecisions.Decide(claim, command, sources, at);
        var linked = chain.Link(command.ClaimId, (claim?.Version ?? 0) + 1, decided, at, command.Context, previousHash);
        stream.AppendOne(appender.Wrap(linked));
        appender.Queue(session, linked);
        return new Appended(ClaimEvolution.Evolve(claim, decided)!, linked.EntryHash, decided);
    }

    /// <summary>
    /// The claim to decide on, the entry hash its next entry chains to and the cited documents, checked (unless
    /// <paramref name="known"/> already holds them), in as few round trips as the write allows.
    /// </summary>
    private async Task<(IEventStream<Claim> Stream, byte[] PreviousHash, ICheckedSources Sources)> FetchAsync(
        IDocumentSession session, IClaimCommand command, IReadOnlyList<Citation> citations, ICheckedSources? known, CancellationToken ct)
    {
        IEventStream<Claim>? locked = null;
        if (command.ExpectedVersion is null)
        {
            // Without an expected version the writer waits its turn on the stream's row lock rather than racing, and reads
            // the rest only once it holds the lock.
            locked = await session.Events.FetchForExclusiveWriting<Claim>(command.ClaimId, ct);
        }

        // With an expected version, one round trip for the stream's version, the claim, its last entry hash and the cited
        // documents. A write that commits between two writers' reads fails the later one's version check, so what is read
        // here is never combined into a wrong entry.
        var readsHash = locked is not { Aggregate: null };
        var readsDocuments = known is null && citations.Count > 0;
        var batch = session.CreateBatchQuery();
        var stream = locked is null ? batch.Events.FetchForWriting<Claim>(command.ClaimId) : Task.FromResult(locked);
        var previous = readsHash ? appender.LastEntryHash(batch, command.ClaimId) : Task.FromResult(EntryHash.Genesis);
        var check = known is null ? references.Read(batch, citations) : null;
        if (readsHash || readsDocuments)
        {
            await batch.Execute(ct);
        }

        // The citations first: a wrong one is the caller's to fix whatever the claim's version.
        var checkedSources = known ?? await check!(session, ct);
        return (await stream, await previous, checkedSources);
    }

    internal Task<byte[]> LastEntryHashAsync(IDocumentSession session, string claimId, CancellationToken ct) =>
        appender.LastEntryHashAsync(session, claimId, ct);

    private async Task<bool> KeyUsedAsync(string key, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<IdempotentWrite>(key, ct) is not null;
    }

    private async Task<long> CurrentVersionAsync(string claimId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var state = await query.Events.FetchStreamStateAsync(claimId, ct);
        return state?.Version ?? 0;
    }

    private static bool IsConcurrencyFailure(Exception e) =>
        e is JasperFx.ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ConcurrentUpdateException
            or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
        || IsUniqueViolation(e);

    private static bool IsUniqueViolation(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || (e.InnerException is not null && IsUniqueViolation(e.InnerException));
}
