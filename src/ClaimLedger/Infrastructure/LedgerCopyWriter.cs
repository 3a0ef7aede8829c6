using ClaimLedger.Claims;
using ClaimLedger.Ledger;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Writes new claims' events, ledger entries, streams and read models with binary COPY, inside the caller's
/// transaction, in the very shape Marten and <see cref="ClaimWriter"/> give them. It holds the ledger's append lock
/// from <see cref="BeginAsync"/> to commit, so it can number ledger positions itself, gap-free and in commit order.
/// One batch is sent while the next is being prepared.
/// </summary>
internal sealed class LedgerCopyWriter(NpgsqlConnection connection, string schema, IDocumentStore store) : IAsyncDisposable
{
    /// <summary>One event with everything stored about it, its ledger entry hashed and chained.</summary>
    internal sealed record Row(
        string ClaimId, long Version, Guid EventId, string Json, EventNames Names, DateTimeOffset At, string Actor,
        string CorrelationId, string Headers, byte[] EntryHash, byte[] PreviousHash);

    internal sealed record EventNames(string Type, string DotNetType);

    private readonly Marten.ISerializer _serializer = store.Options.Serializer();
    private readonly Dictionary<Type, EventNames> _names = [];
    private Task _sending = Task.CompletedTask;
    private long _nextPosition;

    public async Task BeginAsync(CancellationToken ct)
    {
        await using (var locking = new NpgsqlCommand($"select pg_advisory_xact_lock({LedgerSchema.AppendLockKey})", connection))
        {
            await locking.ExecuteNonQueryAsync(ct);
        }

        await using var next = new NpgsqlCommand($"select coalesce(max(position), 0) + 1 from {schema}.{LedgerSchema.TableName}", connection);
        _nextPosition = (long)(await next.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The event as <see cref="ClaimWriter"/> would store it, with its ledger entry chained to <paramref name="previous"/>.</summary>
    public Row Prepare(string claimId, long version, object data, string actor, ImportMark import, byte[] previous)
    {
        var at = import.RecordedAt;
        var id = Guid.CreateVersion7(at);
        var names = NamesOf(data);
        var json = _serializer.ToJson(data);
        var headers = _serializer.ToJson(ClaimWriter.ImportHeaders(import));
        var hash = EntryHash.Compute(new LedgerEntryFields(claimId, version, id, names.Type, at, json, actor), previous);
        return new Row(claimId, version, id, json, names, at, actor, $"import:{import.StepId}", headers, hash, previous);
    }

    /// <summary>Sends a batch in the background; the previous batch must have reached the server first.</summary>
    public async Task WriteAsync(List<Row> rows, CancellationToken ct)
    {
        await _sending;
        _sending = Task.Run(() => SendAsync(rows, ct), ct);
    }

    /// <summary>Sets each stream's final version and writes each claim's read model.</summary>
    public async Task FinishAsync(IReadOnlyCollection<Claim> claims, CancellationToken ct)
    {
        await _sending;
        await using (var create = new NpgsqlCommand("create temp table cl_import_versions (id varchar primary key, version bigint not null) on commit drop", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var versions = await connection.BeginBinaryImportAsync("copy cl_import_versions (id, version) from stdin (format binary)", ct))
        {
            foreach (var claim in claims.Where(c => c.Version > 1))
            {
                await versions.StartRowAsync(ct);
                await versions.WriteAsync(claim.Id, NpgsqlDbType.Varchar, ct);
                await versions.WriteAsync(claim.Version, NpgsqlDbType.Bigint, ct);
            }

            await versions.CompleteAsync(ct);
        }

        await using (var update = new NpgsqlCommand(
            $"update {schema}.mt_streams s set version = v.version from cl_import_versions v where s.id = v.id", connection))
        {
            await update.ExecuteNonQueryAsync(ct);
        }

        await using var documents = await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_doc_claim (id, data, mt_dotnet_type, mt_version, recorded_at, status, verdictrating) from stdin (format binary)", ct);
        var documentType = typeof(Claim).FullName!;
        foreach (var claim in claims)
        {
            await documents.StartRowAsync(ct);
            await documents.WriteAsync(claim.Id, NpgsqlDbType.Varchar, ct);
            await documents.WriteAsync(_serializer.ToJson(claim), NpgsqlDbType.Jsonb, ct);
            await documents.WriteAsync(documentType, NpgsqlDbType.Varchar, ct);
            await documents.WriteAsync(claim.Version, NpgsqlDbType.Bigint, ct);
            await documents.WriteAsync(claim.RecordedAt, NpgsqlDbType.TimestampTz, ct);
            await documents.WriteAsync(claim.Status.ToString(), NpgsqlDbType.Varchar, ct);
            if (claim.Verdict is { } verdict)
            {
                await documents.WriteAsync(verdict.Rating.ToString(), NpgsqlDbType.Varchar, ct);
            }
            else
            {
                await documents.WriteNullAsync(ct);
            }
        }

        await documents.CompleteAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _sending;
        }
        catch (Exception)
        {
            // The failure already reached the caller through WriteAsync or FinishAsync, or the import is being abandoned.
        }
    }

    private async Task SendAsync(List<Row> rows, CancellationToken ct)
    {
        var sequence = new List<long>(rows.Count);
        await using (var reserve = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, {rows.Count})", connection))
        await using (var reader = await reserve.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                sequence.Add(reader.GetInt64(0));
            }
        }

        // A claim's stream row comes with its first event, which events reference; its final version is set at the end.
        await using (var streams = await connection.BeginBinaryImportAsync($"copy {schema}.mt_streams (id, type, version) from stdin (format binary)", ct))
        {
            foreach (var row in rows.Where(r => r.Version == 1))
            {
                await streams.StartRowAsync(ct);
                await streams.WriteAsync(row.ClaimId, NpgsqlDbType.Varchar, ct);
                await streams.WriteAsync(StreamType, NpgsqlDbType.Varchar, ct);
                await streams.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
            }

            await streams.CompleteAsync(ct);
        }

        await using (var events = await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, user_name, is_archived) from stdin (format binary)", ct))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                await events.StartRowAsync(ct);
                await events.WriteAsync(sequence[i], NpgsqlDbType.Bigint, ct);
                await events.WriteAsync(row.EventId, NpgsqlDbType.Uuid, ct);
                await events.WriteAsync(row.ClaimId, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct);
                await events.WriteAsync(row.Json, NpgsqlDbType.Jsonb, ct);
                await events.WriteAsync(row.Names.Type, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(row.At, NpgsqlDbType.TimestampTz, ct);
                await events.WriteAsync(TenantId, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(row.Names.DotNetType, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(row.CorrelationId, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(row.Headers, NpgsqlDbType.Jsonb, ct);
                await events.WriteAsync(row.Actor, NpgsqlDbType.Varchar, ct);
                await events.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }

            await events.CompleteAsync(ct);
        }

        await using (var entries = await connection.BeginBinaryImportAsync(
            $"copy {schema}.{LedgerSchema.TableName} (position, stream_id, version, event_id, entry_hash, prev_hash, encoding) from stdin (format binary)", ct))
        {
            foreach (var row in rows)
            {
                await entries.StartRowAsync(ct);
                await entries.WriteAsync(_nextPosition++, NpgsqlDbType.Bigint, ct);
                await entries.WriteAsync(row.ClaimId, NpgsqlDbType.Varchar, ct);
                await entries.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct);
                await entries.WriteAsync(row.EventId, NpgsqlDbType.Uuid, ct);
                await entries.WriteAsync(row.EntryHash, NpgsqlDbType.Bytea, ct);
                await entries.WriteAsync(row.PreviousHash, NpgsqlDbType.Bytea, ct);
                await entries.WriteAsync(EntryHash.EncodingVersion, NpgsqlDbType.Integer, ct);
            }

            await entries.CompleteAsync(ct);
        }
    }

    /// <summary>How Marten names the claim aggregate in mt_streams.type.</summary>
    private const string StreamType = "claim";

    private const string TenantId = "*DEFAULT*";

    private EventNames NamesOf(object data)
    {
        if (!_names.TryGetValue(data.GetType(), out var names))
        {
            var wrapped = ((DocumentStore)store).Events.BuildEvent(data);
            _names[data.GetType()] = names = new EventNames(wrapped.EventTypeName, wrapped.DotNetTypeName);
        }

        return names;
    }
}
