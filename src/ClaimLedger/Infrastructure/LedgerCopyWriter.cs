using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Writes new claims' events, ledger entries, streams and read models with binary COPY, inside the caller's
/// transaction, in the very shape Marten and <see cref="ClaimWriter"/> give them. Like every writer it takes no lock
/// shared with other claims' writers: its entries go to the ledger's queue, in each claim's version order, and
/// <see cref="LedgerSequencer"/> numbers them once the import has committed, so other writers go on while it runs.
/// One batch is sent while the next is prepared and the one after it decided.
/// </summary>
internal sealed class LedgerCopyWriter(NpgsqlConnection connection, string schema, IDocumentStore store) : IAsyncDisposable
{
    /// <summary>A decided event waiting to be stored; <paramref name="Chain"/> is its claim's, shared by all of that claim's events.</summary>
    internal sealed record Pending(string ClaimId, long Version, object Data, DateTimeOffset At, WriteContext Context, Chain Chain);

    /// <summary>The last entry hash of one claim, advanced as its events are prepared, in order, on the sending thread.</summary>
    internal sealed class Chain
    {
        public byte[] LastHash { get; set; } = EntryHash.Genesis;
    }

    private readonly Marten.ISerializer _serializer = store.Options.Serializer();
    private readonly LedgerChain _chain = new(LedgerStore.Forms(store));
    private Task _sending = Task.CompletedTask;
    private Task _preparing = Task.CompletedTask;

    public async Task BeginAsync(CancellationToken ct)
    {
        await EnsureLayoutAsync("mt_streams", StreamColumns, LeftToDefault, ct);
        await EnsureLayoutAsync("mt_events", EventColumns, LeftToDefault, ct);
        await EnsureLayoutAsync(SequencerSchema.QueueTable, EntryColumns, LeftToDefault, ct);
    }

    private const string StreamColumns = "id, type, version";
    private const string EventColumns = "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, user_name, is_archived";
    private const string EntryColumns = "stream_id, version, event_id, entry_hash, prev_hash, encoding";

    /// <summary>Columns the bulk import leaves to their defaults, as Marten's own append does for these claims' streams and events.</summary>
    private static readonly string[] LeftToDefault = ["timestamp", "created", "tenant_id", "compacted_version", "is_archived", "bdata", "causation_id", "written_at", "ticket"];

    /// <summary>
    /// Refuses to import into a table that has a column this writer neither fills nor knows to leave to its default: a column
    /// added by a newer Marten or by the ledger's configuration would otherwise be empty for every imported row, silently.
    /// </summary>
    private async Task EnsureLayoutAsync(string table, string written, string[] defaults, CancellationToken ct)
    {
        await using var columns = new NpgsqlCommand(
            "select column_name from information_schema.columns where table_schema = @schema and table_name = @table", connection);
        columns.Parameters.AddWithValue("schema", schema);
        columns.Parameters.AddWithValue("table", table);
        var known = written.Split(", ").Concat(defaults).ToHashSet();
        var unknown = new List<string>();
        await using (var reader = await columns.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (!known.Contains(reader.GetString(0)))
                {
                    unknown.Add(reader.GetString(0));
                }
            }
        }

        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{schema}.{table} has column(s) {string.Join(", ", unknown)} that the bulk import does not write. Teach LedgerCopyWriter what they hold before importing.");
        }
    }

    /// <summary>The event and its ledger entry, made by the same <see cref="LedgerChain"/> as every other write.</summary>
    private (ChainedEvent Event, string Headers) Prepare(Pending pending)
    {
        var linked = _chain.Link(pending.ClaimId, pending.Version, pending.Data, pending.At, pending.Context, pending.Chain.LastHash);
        pending.Chain.LastHash = linked.EntryHash;
        return (linked, linked.HeadersJson ?? _serializer.ToJson(null));
    }

    /// <summary>
    /// Hands a batch to a pipeline of two more threads: one prepares it (serializes, canonicalizes, hashes and chains)
    /// while the other sends the batch before it, so deciding, hashing and the server's own work all overlap.
    /// Batches are prepared one after another, in order, because each claim's chain runs across them.
    /// </summary>
    public async Task WriteAsync(List<Pending> batch, CancellationToken ct)
    {
        if (_sending.IsFaulted)
        {
            await _sending;
        }

        await _preparing;
        var prepared = Task.Run(() => batch.Select(Prepare).ToList(), ct);
        _preparing = prepared;
        var previous = _sending;
        _sending = Task.Run(async () =>
        {
            await previous;
            Send(await prepared);
        }, ct);
    }

    /// <summary>Sets the final version of each of these claims' streams and writes their read models; their events must all have been sent.</summary>
    public async Task FinishClaimsAsync(IReadOnlyCollection<Claim> claims, CancellationToken ct)
    {
        await _sending;
        await using (var create = new NpgsqlCommand(
            "create temp table if not exists cl_import_versions (id varchar primary key, version bigint not null) on commit drop; truncate cl_import_versions", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var versions = await connection.BeginBinaryImportAsync("copy cl_import_versions (id, version) from stdin (format binary)", ct))
        {
            foreach (var claim in claims.Where(c => c.Version > 1))
            {
                versions.StartRow();
                versions.Write(claim.Id, NpgsqlDbType.Varchar);
                versions.Write(claim.Version, NpgsqlDbType.Bigint);
            }

            await versions.CompleteAsync(ct);
        }

        await using (var update = new NpgsqlCommand(
            $"update {schema}.mt_streams s set version = v.version from cl_import_versions v where s.id = v.id", connection))
        {
            await update.ExecuteNonQueryAsync(ct);
        }

        await using var documents = await ClaimDocumentCopy.BeginAsync(connection, store, ct);
        foreach (var claim in claims)
        {
            documents.Write(claim);
        }

        await documents.CompleteAsync(ct);
    }

    /// <summary>Refreshes the planner's statistics after a bulk load, which autovacuum would otherwise take minutes to notice.</summary>
    public async Task AnalyzeAsync(CancellationToken ct)
    {
        await using var analyze = new NpgsqlCommand(
            $"analyze {schema}.mt_events, {schema}.mt_streams, {schema}.mt_doc_claim, {schema}.{SequencerSchema.QueueTable}", connection);
        await analyze.ExecuteNonQueryAsync(ct);
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

    private void Send(List<(ChainedEvent Event, string Headers)> rows)
    {
        var sequence = new List<long>(rows.Count);
        using (var reserve = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, {rows.Count})", connection))
        using (var reader = reserve.ExecuteReader())
        {
            while (reader.Read())
            {
                sequence.Add(reader.GetInt64(0));
            }
        }

        // A claim's stream row comes with its first event, which events reference; its final version is set at the end.
        using (var streams = connection.BeginBinaryImport($"copy {schema}.mt_streams ({StreamColumns}) from stdin (format binary)"))
        {
            foreach (var (row, _) in rows.Where(r => r.Event.Version == 1))
            {
                streams.StartRow();
                streams.Write(row.ClaimId, NpgsqlDbType.Varchar);
                streams.Write(StreamType, NpgsqlDbType.Varchar);
                streams.Write(1L, NpgsqlDbType.Bigint);
            }

            streams.Complete();
        }

        using (var events = connection.BeginBinaryImport(
            $"copy {schema}.mt_events ({EventColumns}) from stdin (format binary)"))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var (row, headers) = rows[i];
                events.StartRow();
                events.Write(sequence[i], NpgsqlDbType.Bigint);
                events.Write(row.EventId, NpgsqlDbType.Uuid);
                events.Write(row.ClaimId, NpgsqlDbType.Varchar);
                events.Write(row.Version, NpgsqlDbType.Bigint);
                events.Write(row.Json, NpgsqlDbType.Jsonb);
                events.Write(row.Names.Type, NpgsqlDbType.Varchar);
                events.Write(row.At, NpgsqlDbType.TimestampTz);
                events.Write(TenantId, NpgsqlDbType.Varchar);
                events.Write(row.Names.DotNetType, NpgsqlDbType.Varchar);
                events.Write(row.CorrelationId, NpgsqlDbType.Varchar);
                events.Write(headers, NpgsqlDbType.Jsonb);
                events.Write(row.Actor, NpgsqlDbType.Varchar);
                events.Write(false, NpgsqlDbType.Boolean);
            }

            events.Complete();
        }

        using (var entries = connection.BeginBinaryImport(
            $"copy {schema}.{SequencerSchema.QueueTable} ({EntryColumns}) from stdin (format binary)"))
        {
            foreach (var (row, _) in rows)
            {
                entries.StartRow();
                entries.Write(row.ClaimId, NpgsqlDbType.Varchar);
                entries.Write(row.Version, NpgsqlDbType.Bigint);
                entries.Write(row.EventId, NpgsqlDbType.Uuid);
                entries.Write(row.EntryHash, NpgsqlDbType.Bytea);
                entries.Write(row.PreviousHash, NpgsqlDbType.Bytea);
                entries.Write(EntryHash.EncodingVersion, NpgsqlDbType.Integer);
            }

            entries.Complete();
        }
    }

    /// <summary>How Marten names the claim aggregate in mt_streams.type.</summary>
    private const string StreamType = "claim";

    private const string TenantId = "*DEFAULT*";
}
