using ClaimLedger.Common;
using ClaimLedger.Ledger;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// How a chained event enters a session: the event as Marten stores it, with the id, time, actor and correlation its
/// entry hashed, and the entry queued for the sequencer in the same transaction. Claims' writes (<see cref="ClaimWriter"/>)
/// and documents' and keys' streams (<see cref="AppendAsync"/>) both go through it.
/// </summary>
public sealed class LedgerAppender(IDocumentStore store, LedgerChain chain, StoredForms forms) : ILedgerStreams
{
    private readonly string _insertEntry = SequencerSchema.InsertSql(store.Options.DatabaseSchemaName);

    public async Task AppendAsync(
        IDocumentSession session, string streamId, long expectedVersion, IReadOnlyList<object> events, DateTimeOffset at, WriteContext context, CancellationToken ct)
    {
        var previous = expectedVersion == 0 ? EntryHash.Genesis : await LastEntryHashAsync(session, streamId, ct);
        var wrapped = new List<IEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var linked = chain.Link(streamId, expectedVersion + i + 1, events[i], at, context, previous);
            wrapped.Add(Wrap(linked));
            Queue(session, linked);
            previous = linked.EntryHash;
        }

        // Starting a stream fails on one that exists, and appending checks the version: a concurrent write loses, whole.
        if (expectedVersion == 0)
        {
            session.Events.StartStream(streamId, wrapped.ToArray<object>());
        }
        else
        {
            session.Events.Append(streamId, expectedVersion + events.Count, wrapped.ToArray<object>());
        }
    }

    public async Task<IReadOnlyList<object>?> ReadAsync(string streamId, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // The stream's events, each with whether its entry is in the ledger, then how many entries the stream has there:
        // an event deleted with its stream version lowered leaves an entry no event answers.
        await using var command = new NpgsqlCommand(
            $"select e.type, e.data::text, exists (select 1 from {schema}.{LedgerSchema.TableName} l where l.stream_id = e.stream_id and l.version = e.version and l.event_id = e.id) " +
            $"or exists (select 1 from {schema}.{SequencerSchema.QueueTable} q where q.stream_id = e.stream_id and q.version = e.version and q.event_id = e.id) " +
            $"from {schema}.mt_events e where e.stream_id = @stream order by e.version; " +
            $"select (select count(*) from {schema}.{LedgerSchema.TableName} where stream_id = @stream) + (select count(*) from {schema}.{SequencerSchema.QueueTable} where stream_id = @stream)",
            connection);
        command.Parameters.AddWithValue("stream", streamId);
        var events = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.GetBoolean(2) || !_types.TryGetValue(reader.GetString(0), out var type))
            {
                return null;
            }

            try
            {
                events.Add(forms.Deserialize(reader.GetString(1), type));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
            {
                return null;
            }
        }

        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0) == events.Count ? events : null;
    }

    private readonly Dictionary<string, Type> _types = forms.EventNames.ToDictionary(n => n.Value.Type, n => n.Key);

    /// <summary>Queues the entry for the sequencer, in the session's transaction.</summary>
    internal void Queue(IDocumentSession session, ChainedEvent linked) =>
        session.QueueSqlCommand(_insertEntry, linked.ClaimId, linked.Version, linked.EventId, linked.EntryHash, linked.PreviousHash);

    /// <summary>A stream's newest entry hash, sequenced or not, or <see cref="EntryHash.Genesis"/> for a new stream.</summary>
    internal async Task<byte[]> LastEntryHashAsync(IDocumentSession session, string streamId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var hash = LastEntryHash(batch, streamId);
        await batch.Execute(ct);
        return await hash;
    }

    /// <summary>Adds the read of a stream's newest entry hash to a batch, so it shares the batch's round trip.</summary>
    internal Task<byte[]> LastEntryHash(Marten.Services.BatchQuerying.IBatchedQuery batch, string streamId) =>
        batch.AddItem(new LastEntryHashQuery(store.Options.DatabaseSchemaName, streamId));

    /// <summary>The event as Marten stores it, with the id, time, actor and correlation its ledger entry hashed.</summary>
    internal IEvent Wrap(ChainedEvent linked)
    {
        // Built by the store's event graph so the event keeps its runtime type, not the static type object.
        var wrapped = ((DocumentStore)store).Events.BuildEvent(linked.Data);
        wrapped.Id = linked.EventId;
        wrapped.Timestamp = linked.At;
        // Per event, not per session, so events written together in a batch keep their own actor and correlation.
        wrapped.UserName = linked.Actor;
        wrapped.CorrelationId = linked.CorrelationId;
        foreach (var (name, value) in linked.Import?.Headers() ?? [])
        {
            wrapped.SetHeader(name, value);
        }

        return wrapped;
    }
}
