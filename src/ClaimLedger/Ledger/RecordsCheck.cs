using ClaimLedger.Access;
using ClaimLedger.Common;
using ClaimLedger.Documents;

namespace ClaimLedger.Ledger;

/// <summary>
/// Derives the documents and API keys tables again from their streams' events (the hashes of which <see cref="LedgerVerifier"/>
/// checks with every other entry) and names every row that differs, is missing, or has no entries: a document or key inserted,
/// edited, revived or deleted by SQL. Breaks are named by stream, <c>document:&lt;id&gt;</c> or <c>api-key:&lt;id&gt;</c>.
/// </summary>
internal sealed class RecordsCheck(ClaimLedgerOptions options, StoredForms forms)
{
    private readonly Dictionary<string, Type> _types = forms.EventNames.ToDictionary(n => n.Value.Type, n => n.Key);

    public async Task<List<LedgerBreak>> RunAsync(CancellationToken ct)
    {
        var breaks = new List<LedgerBreak>();
        var streams = await StreamsAsync(breaks, ct);
        await CheckDocumentsAsync(streams, breaks, ct);
        await CheckKeysAsync(streams, breaks, ct);
        return breaks;
    }

    /// <summary>Each document's and key's events, read as the ledger wrote them; null for a stream that cannot be read.</summary>
    private async Task<Dictionary<string, List<object>?>> StreamsAsync(List<LedgerBreak> breaks, CancellationToken ct)
    {
        var schema = options.Schema;
        var streams = new Dictionary<string, List<object>?>(StringComparer.Ordinal);
        var lastVersions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var events = await RawReader.OpenAsync(options.ConnectionString, 
            $"select stream_id, version, type, coalesce(is_archived, false), data::text from {schema}.mt_events " +
            $"where not ({LedgerStreamIds.ClaimsOnlySql("stream_id")}) order by stream_id, version", ct))
        {
            while (await events.ReadAsync(ct))
            {
                var (stream, version, type) = (events.GetString(0), events.GetInt64(1), events.GetString(2));
                lastVersions[stream] = version;
                if (!streams.TryGetValue(stream, out var read))
                {
                    streams[stream] = read = [];
                }

                if (events.GetBoolean(3))
                {
                    breaks.Add(new(stream, version, BreakKinds.EventHidden, "the event is marked archived, which hides it; the ledger never archives"));
                }

                if (read is null)
                {
                    continue;
                }

                try
                {
                    read.Add(_types.TryGetValue(type, out var known)
                        ? forms.Deserialize(events.GetString(4), known)
                        : throw new NotSupportedException($"the event's type '{type}' is not one the ledger writes"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    breaks.Add(new(stream, version, BreakKinds.EventUnreadable, $"the stored {type} no longer reads as one: {e.Message}"));
                    streams[stream] = null;
                }
            }
        }

        await using var rows = await RawReader.OpenAsync(options.ConnectionString, 
            $"select id, version, coalesce(is_archived, false) from {schema}.mt_streams where not ({LedgerStreamIds.ClaimsOnlySql("id")})", ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (await rows.ReadAsync(ct))
        {
            var (stream, version, archived) = (rows.GetString(0), rows.IsDBNull(1) ? 0 : rows.GetInt64(1), rows.GetBoolean(2));
            seen.Add(stream);
            var last = lastVersions.GetValueOrDefault(stream);
            if (version != last)
            {
                breaks.Add(new(stream, last == 0 ? null : last, BreakKinds.StreamEdited, $"the stream row says version {version}, but its events end at version {last}"));
            }

            if (archived)
            {
                breaks.Add(new(stream, null, BreakKinds.StreamEdited, "the stream is marked archived; the ledger never archives"));
            }
        }

        foreach (var stream in lastVersions.Keys.Where(s => !seen.Contains(s)))
        {
            breaks.Add(new(stream, null, BreakKinds.StreamEdited, "the stream row was deleted; its events remain"));
        }

        return streams;
    }

    private async Task CheckDocumentsAsync(Dictionary<string, List<object>?> streams, List<LedgerBreak> breaks, CancellationToken ct)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var rows = await RawReader.OpenAsync(options.ConnectionString, $"select id, data::text from {options.Schema}.mt_doc_sourcedocument", ct);
        while (await rows.ReadAsync(ct))
        {
            var stream = LedgerStreamIds.Document(rows.GetString(0));
            stored.Add(stream);
            if (!streams.TryGetValue(stream, out var events))
            {
                breaks.Add(new(stream, null, BreakKinds.DocumentUnregistered,
                    "the document is served but the ledger holds no registration of it: it was inserted behind the ledger's back " +
                    "(a document registered by a build before registrations were entries is adopted by db migrate)"));
                continue;
            }

            if (events is null)
            {
                continue;
            }

            if (events is not [DocumentRegistered registered] || registered.DocumentId != rows.GetString(0))
            {
                breaks.Add(new(stream, null, BreakKinds.EventUnreadable, "the document's stream is not one registration of this document"));
                continue;
            }

            if (Read<SourceDocument>(rows.GetString(1), stream, BreakKinds.DocumentEdited, breaks) is { } document
                && registered.Differences(document) is { Count: > 0 } differs)
            {
                breaks.Add(new(stream, null, BreakKinds.DocumentEdited, $"the stored document differs from its registration in {string.Join(", ", differs)}"));
            }
        }

        foreach (var stream in streams.Keys.Where(s => s.StartsWith(LedgerStreamIds.DocumentPrefix, StringComparison.Ordinal) && !stored.Contains(s)))
        {
            breaks.Add(new(stream, null, BreakKinds.DocumentEdited, "the registered document was deleted: readers and citations no longer find it"));
        }
    }

    private async Task CheckKeysAsync(Dictionary<string, List<object>?> streams, List<LedgerBreak> breaks, CancellationToken ct)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var rows = await RawReader.OpenAsync(options.ConnectionString, $"select id, data::text from {options.Schema}.mt_doc_apikey", ct);
        while (await rows.ReadAsync(ct))
        {
            var stream = LedgerStreamIds.ApiKey(rows.GetString(0));
            stored.Add(stream);
            if (!streams.TryGetValue(stream, out var events))
            {
                breaks.Add(new(stream, null, BreakKinds.ApiKeyUnissued,
                    "the key has no issue in the ledger: it was inserted behind the ledger's back, and authentication refuses it"));
                continue;
            }

            if (events is null || Read<ApiKey>(rows.GetString(1), stream, BreakKinds.ApiKeyEdited, breaks) is not { } key)
            {
                continue;
            }

            ApiKey? recorded;
            try
            {
                recorded = ApiKeyHistory.Replay(events);
            }
            catch (InvalidOperationException e)
            {
                breaks.Add(new(stream, null, BreakKinds.EventUnreadable, $"the key's stream is not a key's history: {e.Message}"));
                continue;
            }

            var differs = recorded is null ? ["its issue"] : ApiKeyHistory.Differences(recorded, key);
            if (differs.Count > 0)
            {
                breaks.Add(new(stream, null, BreakKinds.ApiKeyEdited,
                    $"the stored key differs from its ledger entries in {string.Join(", ", differs)}; authentication refuses it"));
            }
        }

        foreach (var stream in streams.Keys.Where(s => s.StartsWith(LedgerStreamIds.ApiKeyPrefix, StringComparison.Ordinal) && !stored.Contains(s)))
        {
            breaks.Add(new(stream, null, BreakKinds.ApiKeyEdited, "the issued key's row was deleted"));
        }
    }

    private T? Read<T>(string json, string stream, string kind, List<LedgerBreak> breaks) where T : class
    {
        try
        {
            return (T)forms.Deserialize(json, typeof(T));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            breaks.Add(new(stream, null, kind, $"the stored row no longer reads as a {typeof(T).Name} ({e.GetType().Name})"));
            return null;
        }
    }
}
