using System.Runtime.CompilerServices;
using ClaimLedger.Common;
using Npgsql;

namespace ClaimLedger.Ledger;

/// <summary>A row of the ledger table as stored.</summary>
/// <param name="Encoding">The <see cref="Ledger.EntryHash"/> encoding the row's hash was computed with.</param>
public sealed record EntryRow(long Position, string StreamId, long Version, Guid EventId, byte[] EntryHash, byte[] PreviousHash, int Encoding = 1);

/// <summary>An event row as stored, with its payload as PostgreSQL returns it.</summary>
/// <param name="Imported">Marked as imported from a seed, the one way an event may carry a time before it was written.</param>
/// <param name="Headers">The headers column as PostgreSQL returns it (JSON), or null.</param>
public sealed record EventRow(
    Guid Id, string StreamId, long Version, string Type, DateTimeOffset Timestamp, string Payload, string? UserName, bool Imported = false,
    string? Headers = null, string? CorrelationId = null)
{
    public LedgerEntryFields Fields => new(StreamId, Version, Id, Type, Timestamp, Payload, UserName ?? "", Headers, CorrelationId);
}

/// <summary>
/// Reads the raw rows with plain SQL, never through Marten, so no upcaster, filter or projection can hide
/// anything that was changed in the tables.
/// </summary>
public sealed class LedgerRows(ClaimLedgerOptions options)
{
    /// <summary>Set on rows bound to one snapshot: every connection they open reads the database as of that one moment.</summary>
    private string? _snapshot;

    /// <summary>
    /// Marten's own stream of placeholder events, written when a transaction that had reserved event sequence
    /// numbers fails (a lost concurrency race, say). It holds no claim's history, so the ledger does not cover it.
    /// </summary>
    public const string MartenTombstoneStream = "mt_tombstone";

    private string Schema => options.Schema;

    public async Task<List<EntryRow>> EntriesAsync(CancellationToken ct) => await StreamEntriesAsync(ct).ToListAsync(ct);

    public async Task<List<EventRow>> EventsAsync(CancellationToken ct) => await StreamEventsAsync(ct).ToListAsync(ct);

    /// <summary>The ledger's entries in position order, one at a time.</summary>
    public async IAsyncEnumerable<EntryRow> StreamEntriesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select position, stream_id, version, event_id, entry_hash, prev_hash, encoding from {Schema}.{LedgerSchema.TableName} order by position", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new EntryRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), (byte[])reader[4], (byte[])reader[5], reader.GetInt32(6));
        }
    }

    /// <summary>
    /// The committed entries not yet sequenced, in ticket order (each claim's in version order), with position 0: each
    /// claim's chain goes on through them, but they are in no tree yet.
    /// </summary>
    public async IAsyncEnumerable<EntryRow> StreamQueuedEntriesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, event_id, entry_hash, prev_hash, encoding from {Schema}.{SequencerSchema.QueueTable} order by ticket", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new EntryRow(Unsequenced, reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2), (byte[])reader[3], (byte[])reader[4], reader.GetInt32(5));
        }
    }

    public async Task<List<EntryRow>> QueuedEntriesAsync(CancellationToken ct) => await StreamQueuedEntriesAsync(ct).ToListAsync(ct);

    /// <summary>The position of an entry that has none yet.</summary>
    public const long Unsequenced = 0;

    /// <summary>
    /// Rows that all read one snapshot of the database, however many connections they open: the sequenced entries, the
    /// queue, the events and the streams then agree, even while writers and the sequencer go on.
    /// </summary>
    public async Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        var holder = new NpgsqlConnection(options.ConnectionString);
        try
        {
            await holder.OpenAsync(ct);
            await using (var begin = new NpgsqlCommand("begin isolation level repeatable read read only", holder))
            {
                await begin.ExecuteNonQueryAsync(ct);
            }

            await using var export = new NpgsqlCommand("select pg_export_snapshot()", holder);
            var id = (string)(await export.ExecuteScalarAsync(ct))!;
            return new Snapshot(new LedgerRows(options) { _snapshot = id }, holder);
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keeps the exported snapshot alive until disposed.</summary>
    public sealed class Snapshot(LedgerRows rows, NpgsqlConnection holder) : IAsyncDisposable
    {
        public LedgerRows Rows { get; } = rows;

        public ValueTask DisposeAsync() => holder.DisposeAsync();
    }

    /// <summary>The claims' events in the order they were stored, one at a time.</summary>
    public async IAsyncEnumerable<EventRow> StreamEventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {EventColumns}, coalesce(headers ? '{ImportMark.ImportedHeader}', false) from {Schema}.mt_events " +
            $"where stream_id <> '{MartenTombstoneStream}' order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return ReadEvent(reader) with { Imported = reader.GetBoolean(9) };
        }
    }

    /// <summary>One event by its id, as stored.</summary>
    public async Task<EventRow?> EventAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {EventColumns} from {Schema}.mt_events where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadEvent(reader) : null;
    }

    /// <summary>The checkpoints the log published, smallest tree first: each is a digest the ledger must still match.</summary>
    public async Task<List<StoredCheckpoint>> StoredCheckpointsAsync(CancellationToken ct)
    {
        var stored = new List<StoredCheckpoint>();
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select origin, tree_size, root_hash, published_at from {Schema}.{CheckpointSchema.CheckpointsTable} order by tree_size, published_at", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(new StoredCheckpoint(reader.GetString(0), reader.GetInt64(1), (byte[])reader[2], reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return stored;
    }

    /// <summary>Every column of an event that its entry hash covers, in <see cref="ReadEvent"/>'s order.</summary>
    private const string EventColumns = "id, stream_id, version, type, timestamp, data::text, user_name, headers::text, correlation_id";

    private static EventRow ReadEvent(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), Headers: reader.IsDBNull(7) ? null : reader.GetString(7), CorrelationId: reader.IsDBNull(8) ? null : reader.GetString(8));

    public async Task<Dictionary<string, long>> StreamVersionsAsync(CancellationToken ct)
    {
        var versions = new Dictionary<string, long>();
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select id, version from {Schema}.mt_streams where id <> '{MartenTombstoneStream}'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        if (_snapshot is not null)
        {
            await using var join = new NpgsqlCommand($"begin isolation level repeatable read read only; set transaction snapshot '{_snapshot}'", connection);
            await join.ExecuteNonQueryAsync(ct);
        }

        return connection;
    }
}
