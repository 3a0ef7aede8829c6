using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// The one write path of the ledger: fetch the claim for writing, decide, append, save.
/// Without an expected version writers to one claim take turns on its row lock, and a write that still lost a race is decided again on the fresh state,
/// so no concurrent write is ever overwritten; with one, a stale version is a <see cref="VersionConflictException"/>.
/// </summary>
public sealed class ClaimWriter(IDocumentStore store, TimeProvider clock, WriteBatch batch, IdempotencyScope idempotency)
{
    private const int MaxAttempts = 8;

    public const string ImportedHeader = "imported";
    public const string ImportStepHeader = "import-step";
    public const string ImportHashHeader = "import-hash";

    public async Task<WriteResult> StartAsync(string claimId, WriteContext context, Func<DateTimeOffset, ClaimRecorded> decide, CancellationToken ct)
    {
        context = WithCorrelation(context);
        var at = TimeOf(context);
        var recorded = decide(at);
        if (batch.Session is { } batched)
        {
            if (batch.Claims.ContainsKey(claimId))
            {
                throw DuplicateId(claimId);
            }

            var last = Record(batched, claimId, 0, EntryHash.Genesis, [recorded], at, context, e => batched.Events.StartStream<Claim>(claimId, e));
            batch.Claims[claimId] = new WriteBatch.Touched(null, ClaimEvolution.Evolve(null, recorded)!, last);
            batch.PendingWrites++;
            return new WriteResult(claimId, 1, [nameof(ClaimRecorded)]);
        }

        await using var session = OpenSession(context);
        Record(session, claimId, 0, EntryHash.Genesis, [recorded], at, context, e => session.Events.StartStream<Claim>(claimId, e));
        var result = new WriteResult(claimId, 1, [nameof(ClaimRecorded)]);
        RememberOutcome(session, result);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException || IsUniqueViolation(e))
        {
            throw DuplicateId(claimId);
        }

        return result;
    }

    public async Task<WriteResult> AppendAsync(
        string claimId, long? expectedVersion, WriteContext context,
        Func<Claim, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        context = WithCorrelation(context);
        if (batch.Session is not null)
        {
            return await AppendToBatchAsync(claimId, expectedVersion, context, decide, ct);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(context);
            // Without an expected version the writer waits its turn on the stream's row lock rather than racing.
            var stream = expectedVersion is null
                ? await session.Events.FetchForExclusiveWriting<Claim>(claimId, ct)
                : await session.Events.FetchForWriting<Claim>(claimId, ct);
            var claim = stream.Aggregate ?? throw new NotFoundException("claim", claimId);
            if (expectedVersion is { } expected && expected != stream.CurrentVersion)
            {
                throw new VersionConflictException(claimId, expected, stream.CurrentVersion ?? 0);
            }

            var at = TimeOf(context);
            var events = decide(claim, at);
            Record(session, claimId, claim.Version, await LastEntryHashAsync(session, claimId, ct), events, at, context, stream.AppendMany);
            var result = new WriteResult(claimId, claim.Version + events.Count, events.Select(e => e.GetType().Name).ToArray());
            RememberOutcome(session, result);
            try
            {
                await session.SaveChangesAsync(ct);
                return result;
            }
            catch (Exception e) when (IsConcurrencyFailure(e))
            {
                if (idempotency.Key is { } key && await KeyUsedAsync(key, ct))
                {
                    throw;
                }

                if (expectedVersion is { } stale)
                {
                    throw new VersionConflictException(claimId, stale, await CurrentVersionAsync(claimId, ct));
                }

                if (attempt == MaxAttempts)
                {
                    throw new ClaimRuleException("too-much-contention", $"Claim '{claimId}' changed {MaxAttempts} times while this write was being decided; try again.");
                }
            }
        }
    }

    private async Task<WriteResult> AppendToBatchAsync(
        string claimId, long? expectedVersion, WriteContext context,
        Func<Claim, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var session = batch.Session!;
        if (!batch.Claims.TryGetValue(claimId, out var touched))
        {
            var stream = await session.Events.FetchForWriting<Claim>(claimId, ct);
            touched = new WriteBatch.Touched(stream, stream.Aggregate ?? throw new NotFoundException("claim", claimId), await LastEntryHashAsync(session, claimId, ct));
        }

        if (expectedVersion is { } expected && expected != touched.State.Version)
        {
            throw new VersionConflictException(claimId, expected, touched.State.Version);
        }

        var at = TimeOf(context);
        var events = decide(touched.State, at);
        var last = Record(session, claimId, touched.State.Version, touched.LastEntryHash, events, at, context, wrapped =>
        {
            if (touched.Stream is { } fetched)
            {
                fetched.AppendMany(wrapped);
            }
            else
            {
                session.Events.Append(claimId, wrapped);
            }
        });

        var state = events.Aggregate(touched.State, (claim, e) => ClaimEvolution.Evolve(claim, e)!);
        batch.Claims[claimId] = touched with { State = state, LastEntryHash = last };
        batch.PendingWrites++;
        return new WriteResult(claimId, state.Version, events.Select(e => e.GetType().Name).ToArray());
    }

    /// <summary>Saves the outcome under the request's idempotency key in the write's own transaction; a second insert fails.</summary>
    private void RememberOutcome(IDocumentSession session, WriteResult result)
    {
        if (idempotency is { Key: { } key, Fingerprint: { } fingerprint })
        {
            session.Insert(new IdempotentWrite(key, fingerprint, result, clock.GetUtcNow()));
        }
    }

    private async Task<bool> KeyUsedAsync(string key, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<IdempotentWrite>(key, ct) is not null;
    }

    private static ClaimRuleException DuplicateId(string claimId) =>
        new("duplicate-claim-id", $"A claim with the id '{claimId}' already exists. Choose another --id, or omit it to derive one from the statement.");

    private async Task<long> CurrentVersionAsync(string claimId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var state = await query.Events.FetchStreamStateAsync(claimId, ct);
        return state?.Version ?? 0;
    }

    private IDocumentSession OpenSession(WriteContext context)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = context.Actor;
        session.CorrelationId = context.CorrelationId;
        return session;
    }

    /// <summary>
    /// Appends the events through <paramref name="append"/> and, in the same transaction, one ledger entry per event,
    /// each hashed over the event and chained to the claim's previous entry. Returns the last entry's hash.
    /// </summary>
    /// <param name="at">The instant the events were decided at: stored as their timestamp, so payload and row agree.</param>
    private byte[] Record(
        IDocumentSession session, string claimId, long fromVersion, byte[] previous, IReadOnlyList<object> events,
        DateTimeOffset at, WriteContext context, Action<IEvent[]> append)
    {
        var wrapped = events.Select(e => Wrap(e, at, context)).ToArray();
        append(wrapped);
        var serializer = store.Options.Serializer();
        var version = fromVersion;
        foreach (var e in wrapped)
        {
            version++;
            var hash = EntryHash.Compute(new LedgerEntryFields(claimId, version, e.Id, e.EventTypeName, e.Timestamp, serializer.ToJson(e.Data), context.Actor), previous);
            session.QueueSqlCommand(_insertEntry, claimId, version, e.Id, hash, previous);
            previous = hash;
        }

        return previous;
    }

    private readonly string _insertEntry = LedgerSchema.InsertSql(store.Options.DatabaseSchemaName);

    private async Task<byte[]> LastEntryHashAsync(IDocumentSession session, string claimId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(LedgerSchema.LastHashSql(store.Options.DatabaseSchemaName), (NpgsqlConnection)session.Connection!);
        command.Parameters.AddWithValue("stream", claimId);
        return await command.ExecuteScalarAsync(ct) as byte[] ?? EntryHash.Genesis;
    }

    private static WriteContext WithCorrelation(WriteContext context) =>
        context.CorrelationId is null ? context with { CorrelationId = Guid.NewGuid().ToString("N") } : context;

    /// <summary>The time of a write, to the microsecond: what PostgreSQL stores, and so what the entry hash covers.</summary>
    private DateTimeOffset TimeOf(WriteContext context)
    {
        var time = context.Import?.RecordedAt ?? clock.GetUtcNow();
        return new DateTimeOffset(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);
    }

    private IEvent Wrap(object data, DateTimeOffset at, WriteContext context)
    {
        // Built by the store's event graph so the event keeps its runtime type, not the static type object.
        var wrapped = ((DocumentStore)store).Events.BuildEvent(data);
        // Id and time are fixed here, before saving, because the ledger entry hashes them.
        wrapped.Id = Guid.CreateVersion7(at);
        wrapped.Timestamp = at;
        // Per event, not per session, so events written together in a batch keep their own actor and correlation.
        wrapped.UserName = context.Actor;
        wrapped.CorrelationId = context.CorrelationId;
        if (context.Import is { } import)
        {
            foreach (var (name, value) in ImportHeaders(import))
            {
                wrapped.SetHeader(name, value);
            }
        }

        return wrapped;
    }

    /// <summary>The headers that mark an event as imported from a seed step, so a re-import can recognise it.</summary>
    internal static Dictionary<string, object> ImportHeaders(ImportMark import) => new()
    {
        [ImportedHeader] = true,
        [ImportStepHeader] = import.StepId,
        [ImportHashHeader] = import.StepHash,
    };

    private static bool IsConcurrencyFailure(Exception e) =>
        e is JasperFx.ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ConcurrentUpdateException
        || IsUniqueViolation(e);

    private static bool IsUniqueViolation(Exception e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || (e.InnerException is not null && IsUniqueViolation(e.InnerException));
}
