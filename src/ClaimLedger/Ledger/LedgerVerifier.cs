using System.Collections.Concurrent;

namespace ClaimLedger.Ledger;

/// <summary>One place where the stored history no longer matches what the ledger recorded.</summary>
/// <param name="Kind">One of the <see cref="BreakKinds"/>.</param>
public sealed record LedgerBreak(string ClaimId, long? Version, string Kind, string Detail);

public static class BreakKinds
{
    public const string PayloadEdited = "payload-edited";
    public const string EventDeleted = "event-deleted";
    public const string EventsReordered = "events-reordered";
    public const string EventNotInLedger = "event-not-in-ledger";
    public const string TailTruncated = "tail-truncated";
    public const string LedgerRowEdited = "ledger-row-edited";
    public const string LedgerRowDeleted = "ledger-row-deleted";
    public const string HistoryRewritten = "history-rewritten";
    public const string BackDated = "back-dated";
    public const string ReadModelEdited = "read-model-edited";
    public const string StreamEdited = "stream-edited";
    public const string ClaimWithoutHistory = "claim-without-history";
    public const string EventHidden = "event-hidden";
    public const string EventUnreadable = "event-unreadable";
    public const string DocumentEdited = "document-edited";
    public const string DocumentUnregistered = "document-without-registration";
    public const string ApiKeyEdited = "api-key-edited";
    public const string ApiKeyUnissued = "api-key-without-issuance";
}

/// <summary>
/// Recomputes every entry hash and chain link from the raw rows and compares the Merkle tree with a digest kept
/// outside the database. Claims are checked in parallel; the result does not depend on the order they finish in.
/// </summary>
public static class LedgerVerifier
{
    /// <param name="entries">The sequenced entries, in position order.</param>
    /// <param name="queued">The committed entries not sequenced yet: checked with their claims' chains, outside the tree.</param>
    public static IReadOnlyList<LedgerBreak> Verify(
        IReadOnlyList<EntryRow> entries, IReadOnlyList<EntryRow> queued, IReadOnlyList<EventRow> events, IReadOnlyDictionary<string, long> streamVersions, Digest? kept)
    {
        var breaks = new ConcurrentBag<LedgerBreak>();
        var eventsByStream = events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Version));
        var entriesByStream = entries.Concat(queued).GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());

        Parallel.ForEach(eventsByStream.Keys.Union(entriesByStream.Keys), stream =>
        {
            var streamEvents = eventsByStream.GetValueOrDefault(stream) ?? [];
            var streamEntries = entriesByStream.GetValueOrDefault(stream) ?? [];
            foreach (var found in VerifyClaim(stream, streamEntries, streamEvents, streamVersions.GetValueOrDefault(stream)))
            {
                breaks.Add(found);
            }
        });

        if (kept is not null)
        {
            foreach (var found in CompareWithDigest(entries, entriesByStream, kept, breaks.ToList()))
            {
                breaks.Add(found);
            }

            // A forger may have given two rows one id; the diagnosis reports that elsewhere and must not stop on it here.
            var eventsById = events.DistinctBy(e => e.Id).ToDictionary(e => e.Id);
            foreach (var entry in entries.Where(e => e.Position > kept.TreeSize).Concat(queued))
            {
                if (eventsById.TryGetValue(entry.EventId, out var stored) && IsBackDated(stored, entry, kept))
                {
                    breaks.Add(new LedgerBreak(entry.StreamId, entry.Version, BreakKinds.BackDated,
                        $"appended after the digest kept at {kept.ComputedAt:u} ({(entry.Position == LedgerRows.Unsequenced ? "not sequenced yet" : $"position {entry.Position}")}), yet dated {stored.Timestamp:u}, and not imported"));
                }
            }
        }

        foreach (var gap in UnexplainedGaps(entries, breaks.ToList()))
        {
            breaks.Add(gap);
        }

        return breaks.OrderBy(b => b.ClaimId, StringComparer.Ordinal).ThenBy(b => b.Version ?? long.MaxValue).ThenBy(b => b.Kind, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<LedgerBreak> VerifyClaim(string stream, List<EntryRow> entries, Dictionary<long, EventRow> events, long streamVersion)
    {
        var byId = events.Values.ToDictionary(e => e.Id);
        var previous = EntryHash.Genesis;
        var previousEdited = false;
        var expectedVersion = 1L;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            for (; expectedVersion < entry.Version; expectedVersion++)
            {
                yield return events.ContainsKey(expectedVersion)
                    ? new LedgerBreak(stream, expectedVersion, BreakKinds.LedgerRowDeleted, "the event is there but its ledger entry was deleted")
                    : new LedgerBreak(stream, expectedVersion, BreakKinds.EventDeleted, "the event and its ledger entry were both deleted; the chain skips this version");
                previousEdited = true;
            }

            expectedVersion = entry.Version + 1;
            var next = i + 1 < entries.Count && entries[i + 1].Version == entry.Version + 1 ? entries[i + 1] : null;
            // When the link itself was edited, the entry's hash is checked against the link it was chained with: the
            // previous entry's hash. Otherwise an edited link would also read as an edited payload.
            var chainedTo = entry.PreviousHash;
            if (!previousEdited && !entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                yield return new LedgerBreak(stream, entry.Version, BreakKinds.LedgerRowEdited, "the ledger entry's link to the previous entry was changed");
                chainedTo = previous;
            }

            previous = entry.EntryHash;
            previousEdited = false;
            if (!events.TryGetValue(entry.Version, out var stored) || stored.Id != entry.EventId)
            {
                previousEdited = true;
                yield return byId.TryGetValue(entry.EventId, out var moved)
                    ? new LedgerBreak(stream, entry.Version, BreakKinds.EventsReordered, $"the event recorded at version {entry.Version} now sits at version {moved.Version}")
                    : stored is null
                        ? new LedgerBreak(stream, entry.Version, BreakKinds.EventDeleted, "the event was deleted; its ledger entry remains")
                        : new LedgerBreak(stream, entry.Version, BreakKinds.PayloadEdited, $"a different event ({stored.Id}) replaced the recorded one ({entry.EventId})");
                continue;
            }

            if (!EntryHash.IsKnownEncoding(entry.Encoding))
            {
                previousEdited = true;
                yield return new LedgerBreak(stream, entry.Version, BreakKinds.LedgerRowEdited, $"the ledger entry says it was hashed with encoding {entry.Encoding}, which the ledger never writes");
                continue;
            }

            var recomputed = EntryHash.Compute(stored.Fields, chainedTo, entry.Encoding);
            if (!recomputed.AsSpan().SequenceEqual(entry.EntryHash))
            {
                previousEdited = true;
                yield return next is not null && next.PreviousHash.AsSpan().SequenceEqual(recomputed)
                    ? new LedgerBreak(stream, entry.Version, BreakKinds.LedgerRowEdited, "the ledger entry's hash was changed; the event still matches what the next entry chained to")
                    : new LedgerBreak(stream, entry.Version, BreakKinds.PayloadEdited, $"the stored {stored.Type} no longer matches its entry hash ({CoveredBy(entry.Encoding)} changed)");
            }
        }

        var lastRecorded = entries.Count == 0 ? 0 : entries[^1].Version;
        foreach (var extra in events.Values.Where(e => e.Version > lastRecorded).OrderBy(e => e.Version))
        {
            yield return new LedgerBreak(stream, extra.Version, BreakKinds.EventNotInLedger, "this event has no ledger entry: it was written behind the ledger's back");
        }

        var lastStored = Math.Max(lastRecorded, events.Count == 0 ? 0 : events.Keys.Max());
        if (streamVersion > lastStored)
        {
            yield return new LedgerBreak(stream, lastStored + 1, BreakKinds.TailTruncated,
                $"the claim is at version {streamVersion}, but its events and ledger entries end at version {lastStored}");
        }
    }

    private static string CoveredBy(int encoding) =>
        encoding == 1 ? "payload, type, time or actor" : "payload, type, time, actor, headers or correlation id";

    /// <summary>
    /// An entry appended after a kept digest whose event claims a time before that digest was taken: only an import may
    /// date an event in the past, so anything else is history slipped in behind the auditor's back. A write decided just
    /// before the digest was taken may commit just after it, hence the grace.
    /// </summary>
    public static bool IsBackDated(EventRow stored, EntryRow entry, Digest? kept) =>
        kept is not null && (entry.Position > kept.TreeSize || entry.Position == LedgerRows.Unsequenced) && stored.Timestamp < kept.ComputedAt - BackDatingGrace && !stored.Imported;

    public static readonly TimeSpan BackDatingGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gaps in the positions. A deleted entry row leaves one, and the claim it belonged to is named by its chain (a version
    /// skipped) or by a kept digest (a version it held); a gap that nothing accounts for is the last entry of a claim whose
    /// every other trace was removed too, and nothing left in the database says whose it was, so it names no claim.
    /// </summary>
    private static IEnumerable<LedgerBreak> UnexplainedGaps(IReadOnlyList<EntryRow> entries, List<LedgerBreak> found)
    {
        var accountedFor = found.Any(b => b.ClaimId != Unattributed && b.Kind is BreakKinds.LedgerRowDeleted or BreakKinds.EventDeleted or BreakKinds.TailTruncated);
        for (var i = 0; i < entries.Count && !accountedFor; i++)
        {
            var expected = i == 0 ? 1 : entries[i - 1].Position + 1;
            if (entries[i].Position != expected)
            {
                yield return new LedgerBreak(Unattributed, null, BreakKinds.LedgerRowDeleted,
                    $"ledger positions {expected}–{entries[i].Position - 1} are missing, and no claim's chain shows whose entries they were (keep digests to find out)");
            }
        }
    }

    /// <summary>The claim id of a break that no claim can be named for.</summary>
    public const string Unattributed = "*";

    /// <summary>
    /// The first <see cref="Digest.TreeSize"/> entries must hash to the kept root. When they do not, the digest's per-claim
    /// fingerprints name the first version of each claim whose entry is gone or different (one pass over the entries);
    /// what the chain checks already named is not repeated. A digest without fingerprints, or a difference they do not
    /// show (entries of different claims swapped in position), can only say that the prefix changed.
    /// </summary>
    private static IEnumerable<LedgerBreak> CompareWithDigest(
        IReadOnlyList<EntryRow> entries, Dictionary<string, List<EntryRow>> entriesByStream, Digest kept, List<LedgerBreak> chainBreaks)
    {
        var shorter = kept.TreeSize > entries.Count;
        var root = shorter ? null : Digest.Of(entries, kept.TreeSize, kept.ComputedAt).RootHash;
        if (!shorter && string.Equals(root, kept.RootHash, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        var named = kept.Claims is null ? [] : NameDifferences(entries, entriesByStream, kept, kept.Claims).ToList();
        var alreadyFound = chainBreaks.Select(b => (b.ClaimId, b.Version)).ToHashSet();
        foreach (var difference in named.Where(b => !alreadyFound.Contains((b.ClaimId, b.Version))))
        {
            yield return difference;
        }

        if (named.Count > 0 || chainBreaks.Count > 0)
        {
            yield break;
        }

        yield return shorter
            ? new LedgerBreak(Unattributed, null, BreakKinds.TailTruncated,
                $"the ledger has {entries.Count} entries, fewer than the {kept.TreeSize} of the digest kept at {kept.ComputedAt:u}")
            : new LedgerBreak(Unattributed, null, BreakKinds.HistoryRewritten,
                $"the first {kept.TreeSize} entries no longer hash to the root kept at {kept.ComputedAt:u} ({kept.RootHash[..16]}…, now {root![..16]}…): history was rewritten, even if every chain is consistent");
    }

    private static IEnumerable<LedgerBreak> NameDifferences(
        IReadOnlyList<EntryRow> entries, Dictionary<string, List<EntryRow>> entriesByStream, Digest kept, IReadOnlyDictionary<string, string> claims)
    {
        var when = $"the digest kept at {kept.ComputedAt:u}";
        foreach (var (claim, fingerprints) in claims)
        {
            var keptVersions = fingerprints.Length / Digest.FingerprintDigits;
            var current = (entriesByStream.GetValueOrDefault(claim) ?? []).ToDictionary(e => e.Version);
            var last = current.Count == 0 ? 0 : current.Keys.Max();
            for (var version = 1L; version <= keptVersions; version++)
            {
                var keptFingerprint = fingerprints.AsSpan((int)(version - 1) * Digest.FingerprintDigits, Digest.FingerprintDigits);
                if (!current.TryGetValue(version, out var entry))
                {
                    yield return last < version
                        ? new LedgerBreak(claim, version, BreakKinds.TailTruncated, $"{when} holds this claim's entries up to version {keptVersions}; they now end at version {last}")
                        : new LedgerBreak(claim, version, BreakKinds.LedgerRowDeleted, $"{when} holds this claim's entry at this version; it is gone");
                    break;
                }

                if (!keptFingerprint.Equals(Digest.Fingerprint(entry.EntryHash), StringComparison.OrdinalIgnoreCase))
                {
                    yield return new LedgerBreak(claim, version, BreakKinds.HistoryRewritten,
                        $"the entry's hash is not the one {when} holds (it began {keptFingerprint}, now {Digest.Fingerprint(entry.EntryHash)}): the entry and every later one of the claim were recomputed");
                    break;
                }
            }
        }

        // An entry inside the kept prefix that the digest does not know: slipped into history that was already kept.
        foreach (var entry in entries.TakeWhile(e => e.Position <= kept.TreeSize))
        {
            var keptVersions = claims.TryGetValue(entry.StreamId, out var f) ? f.Length / Digest.FingerprintDigits : 0;
            if (entry.Version > keptVersions)
            {
                yield return new LedgerBreak(entry.StreamId, entry.Version, BreakKinds.HistoryRewritten,
                    $"the entry sits at position {entry.Position}, inside the {kept.TreeSize} entries of {when}, which did not hold it");
            }
        }
    }
}
