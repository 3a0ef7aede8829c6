using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using Npgsql;

namespace ClaimLedger.Ledger;

/// <summary>
/// What readers are served that the entry hashes do not cover, derived again from the hashed events and compared with
/// what is stored: every claim's read model (what <c>claims show</c>, <c>claims list</c>, the API and ClaimReview publish),
/// every stream row (its version decides where the next write goes), and each event's columns outside its entry (an
/// archived flag hides it, a .NET type name decides how it is read, and a payload that no longer reads as its type breaks
/// every replay). Source documents are checked too: each text against its SHA-256, and every span an event cites against
/// the text and publisher now stored, so a document cannot be rewritten where the ledger quotes it. Documents and API keys
/// are derived from their own streams (<see cref="LedgerStreamIds"/>) and compared with their tables (<see cref="RecordsCheck"/>).
/// Claims are walked in id order through the three tables at once, so memory grows with the documents, not with the ledger.
/// </summary>
public sealed class DerivedStateCheck(ClaimLedgerOptions options, StoredForms forms)
{
    private readonly Dictionary<string, (Type Type, string DotNetType)> _types =
        forms.EventNames.ToDictionary(named => named.Value.Type, named => (named.Key, named.Value.DotNetType));

    public async Task<IReadOnlyList<LedgerBreak>> RunAsync(CancellationToken ct)
    {
        var breaks = new List<LedgerBreak>();
        var schema = options.Schema;
        var documents = await DocumentsAsync(breaks, ct);
        breaks.AddRange(await new RecordsCheck(options, forms).RunAsync(ct));
        var columns = string.Concat(forms.ClaimColumns.Select(c => $", {c.Name}"));
        await using var events = await RawReader.OpenAsync(options.ConnectionString, 
            $"select stream_id, version, type, mt_dotnet_type, coalesce(is_archived, false), data::text, bdata is not null from {schema}.mt_events " +
            $"where stream_id <> '{LedgerRows.MartenTombstoneStream}' and {LedgerStreamIds.ClaimsOnlySql("stream_id")} order by stream_id collate \"C\", version", ct);
        await using var streams = await RawReader.OpenAsync(options.ConnectionString, 
            $"select id, version, coalesce(is_archived, false) from {schema}.mt_streams where id <> '{LedgerRows.MartenTombstoneStream}' and {LedgerStreamIds.ClaimsOnlySql("id")} order by id collate \"C\"", ct);
        await using var models = await RawReader.OpenAsync(options.ConnectionString, $"select id, data::text, mt_version{columns} from {schema}.mt_doc_claim order by id collate \"C\"", ct);

        var (hasEvent, hasStream, hasModel) = (await events.ReadAsync(ct), await streams.ReadAsync(ct), await models.ReadAsync(ct));
        while (hasEvent || hasStream || hasModel)
        {
            var claimId = new[] { hasEvent ? events.GetString(0) : null, hasStream ? streams.GetString(0) : null, hasModel ? models.GetString(0) : null }
                .Where(id => id is not null).Min(StringComparer.Ordinal)!;

            var (claim, lastVersion) = (default(Claim), 0L);
            var readable = true;
            while (hasEvent && events.GetString(0) == claimId)
            {
                lastVersion = events.GetInt64(1);
                if (readable)
                {
                    (claim, readable) = Fold(claim, events, documents, breaks);
                }

                hasEvent = await events.ReadAsync(ct);
            }

            if (hasStream && streams.GetString(0) == claimId)
            {
                CheckStream(claimId, streams.IsDBNull(1) ? 0 : streams.GetInt64(1), streams.GetBoolean(2), lastVersion, breaks);
                hasStream = await streams.ReadAsync(ct);
            }
            else if (lastVersion > 0)
            {
                breaks.Add(new(claimId, null, BreakKinds.StreamEdited, "the claim's stream row was deleted; its events remain"));
            }

            if (hasModel && models.GetString(0) == claimId)
            {
                if (readable)
                {
                    CheckReadModel(claimId, claim, lastVersion, models, breaks);
                }

                hasModel = await models.ReadAsync(ct);
            }
            else if (claim is not null)
            {
                breaks.Add(new(claimId, null, BreakKinds.ReadModelEdited, "the claim's read model was deleted; readers cannot find the claim (db rebuild restores it)"));
            }
        }

        return breaks;
    }

    /// <summary>The claim after one more stored event, or a break when the event cannot be read as the ledger wrote it.</summary>
    private (Claim? Claim, bool Readable) Fold(Claim? claim, NpgsqlDataReader row, Dictionary<string, StoredDocument> documents, List<LedgerBreak> breaks)
    {
        var (claimId, version, type, dotNetType, archived) = (row.GetString(0), row.GetInt64(1), row.GetString(2), row.IsDBNull(3) ? null : row.GetString(3), row.GetBoolean(4));
        if (archived)
        {
            breaks.Add(new(claimId, version, BreakKinds.EventHidden, "the event is marked archived, which hides it from the claim's history; the ledger never archives"));
        }

        if (row.GetBoolean(6))
        {
            breaks.Add(new(claimId, version, BreakKinds.EventUnreadable, "the event has a binary payload (bdata), which the store then reads instead of its JSON, and fails on: history, replay and as-of break"));
        }

        if (!_types.TryGetValue(type, out var known))
        {
            breaks.Add(new(claimId, version, BreakKinds.EventUnreadable, $"the event's type '{type}' is not one the ledger writes"));
            return (claim, false);
        }

        if (dotNetType != known.DotNetType)
        {
            breaks.Add(new(claimId, version, BreakKinds.EventUnreadable, $"the event is marked to be read as '{dotNetType}', not as the {type} it was recorded as"));
        }

        try
        {
            var data = forms.Deserialize(row.GetString(5), known.Type);
            CheckCitations(claimId, version, data, documents, breaks);
            var next = ClaimEvolution.Evolve(claim, data);
            return next is null
                ? (Break(claimId, version, "the claim's first event is not the recording of the claim", breaks), false)
                : (next, true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A tampered payload can fail anywhere in reading or folding it (a missing field is a null deep in Evolve);
            // verification reports it and goes on, never stopping on the data it exists to distrust.
            breaks.Add(new(claimId, version, BreakKinds.EventUnreadable, $"the stored {type} no longer reads as one ({e.GetType().Name}): history, replay and as-of fail on it"));
            return (claim, false);
        }
    }

    private sealed record StoredDocument(string Text, string Publisher);

    /// <summary>Every registered document, each text checked against the SHA-256 it was registered with.</summary>
    private async Task<Dictionary<string, StoredDocument>> DocumentsAsync(List<LedgerBreak> breaks, CancellationToken ct)
    {
        var documents = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        await using var rows = await RawReader.OpenAsync(options.ConnectionString, 
            $"select id, data ->> 'text', data ->> 'sha256', data ->> 'publisher' from {options.Schema}.mt_doc_sourcedocument order by id collate \"C\"", ct);
        while (await rows.ReadAsync(ct))
        {
            var (id, text, sha256, publisher) = (rows.GetString(0), rows.IsDBNull(1) ? "" : rows.GetString(1), rows.IsDBNull(2) ? "" : rows.GetString(2), rows.IsDBNull(3) ? "" : rows.GetString(3));
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), sha256, StringComparison.Ordinal))
            {
                breaks.Add(new($"document:{id}", null, BreakKinds.DocumentEdited, $"the document's text no longer hashes to the SHA-256 it was registered with ({Short(sha256)})"));
            }

            documents[id] = new StoredDocument(text, publisher);
        }

        return documents;
    }

    /// <summary>Each span the event cites must still be the document's text there, under the publisher the event recorded.</summary>
    private static void CheckCitations(string claimId, long version, object data, Dictionary<string, StoredDocument> documents, List<LedgerBreak> breaks)
    {
        foreach (var source in CitedSpans.Of(data))
        {
            var problem = !documents.TryGetValue(source.DocumentId, out var document)
                ? "was deleted"
                : source.Start < 0 || source.End > document.Text.Length || source.Start > source.End || !document.Text.AsSpan(source.Start, source.End - source.Start).SequenceEqual(source.Excerpt)
                    ? $"no longer reads \"{Short(source.Excerpt)}\" at [{source.Start}, {source.End})"
                    : document.Publisher != source.Publisher
                        ? $"now names its publisher '{document.Publisher}', not '{source.Publisher}'"
                        : null;
            if (problem is not null)
            {
                breaks.Add(new(claimId, version, BreakKinds.DocumentEdited, $"document '{source.DocumentId}', which this event cites, {problem}"));
            }
        }
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static Claim? Break(string claimId, long version, string detail, List<LedgerBreak> breaks)
    {
        breaks.Add(new(claimId, version, BreakKinds.EventUnreadable, detail));
        return null;
    }

    private static void CheckStream(string claimId, long storedVersion, bool archived, long lastVersion, List<LedgerBreak> breaks)
    {
        if (lastVersion == 0)
        {
            breaks.Add(new(claimId, null, BreakKinds.ClaimWithoutHistory, $"a stream row at version {storedVersion} exists for a claim with no events"));
            return;
        }

        if (storedVersion != lastVersion)
        {
            breaks.Add(new(claimId, lastVersion, BreakKinds.StreamEdited,
                $"the stream row says version {storedVersion}, but the claim's events end at version {lastVersion}; writes to it would fail or land at the wrong version"));
        }

        if (archived)
        {
            breaks.Add(new(claimId, null, BreakKinds.StreamEdited, "the claim's stream is marked archived, which hides it from readers; the ledger never archives"));
        }
    }

    /// <param name="lastVersion">The claim's last stored event, where the break is named: a fold that skips a deleted event counts fewer versions.</param>
    private void CheckReadModel(string claimId, Claim? claim, long lastVersion, NpgsqlDataReader row, List<LedgerBreak> breaks)
    {
        if (claim is null)
        {
            breaks.Add(new(claimId, null, BreakKinds.ClaimWithoutHistory, "a read model is served for a claim that has no events: it was inserted behind the ledger's back"));
            return;
        }

        var differs = new List<string>();
        if (!SameJson(row.GetString(1), forms.Serialize(claim)))
        {
            differs.Add("its document");
        }

        if (row.GetInt64(2) != claim.Version)
        {
            differs.Add($"its version ({row.GetInt64(2)}, not {claim.Version})");
        }

        for (var i = 0; i < forms.ClaimColumns.Count; i++)
        {
            var column = forms.ClaimColumns[i];
            var stored = row.IsDBNull(3 + i) ? null : row.GetValue(3 + i);
            if (!SameValue(stored, column.Value(claim)))
            {
                differs.Add($"{column.Name} ('{stored}', not '{column.Value(claim)}')");
            }
        }

        if (differs.Count > 0)
        {
            breaks.Add(new(claimId, lastVersion, BreakKinds.ReadModelEdited,
                $"what readers are served differs from the claim's events in {string.Join(", ", differs)} (db rebuild restores it)"));
        }
    }

    private static bool SameJson(string stored, string expected)
    {
        var (a, b) = (new ArrayBufferWriter<byte>(stored.Length), new ArrayBufferWriter<byte>(expected.Length));
        CanonicalJson.Write(stored, a);
        CanonicalJson.Write(expected, b);
        return a.WrittenSpan.SequenceEqual(b.WrittenSpan);
    }

    private static bool SameValue(object? stored, object? expected) => (stored, expected) switch
    {
        (null, null) => true,
        (DateTime s, DateTimeOffset e) => s.ToUniversalTime().Ticks / 10 == e.UtcTicks / 10,
        (DateTimeOffset s, DateTimeOffset e) => s.UtcTicks / 10 == e.UtcTicks / 10,
        ({ } s, { } e) => string.Equals(Convert.ToString(s, CultureInfo.InvariantCulture), Convert.ToString(e, CultureInfo.InvariantCulture), StringComparison.Ordinal),
        _ => false,
    };
}
