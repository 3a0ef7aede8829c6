using System.Threading.Channels;
using ClaimLedger.Common;

namespace ClaimLedger.Ledger;

/// <summary>
/// The fast way to confirm that a ledger is intact: both tables are streamed at once, in storage order, events are
/// paired with their entries by event id, and payloads are re-hashed on every core while the rows are still arriving.
/// Memory holds one chain head per claim and the few rows whose partner has not arrived yet.
/// It only ever confirms: at the first thing that does not fit it gives up, and the full diagnosis in
/// <see cref="LedgerVerifier"/> runs to say exactly what broke.
/// </summary>
public static class LedgerScan
{
    public sealed record Confirmation(long Entries, long Unsequenced, long Events, int Claims, Digest Current);

    private sealed record Pair(EventRow Event, EntryRow Entry);

    /// <summary>Pairs each event with its entry, whichever arrives first; the check and the parking happen under one lock, so no pair is missed.</summary>
    private sealed class Matcher
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Guid, EntryRow> _entries = [];
        private readonly Dictionary<Guid, EventRow> _events = [];

        public int EntriesAhead
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        public int EventsAhead
        {
            get
            {
                lock (_gate)
                {
                    return _events.Count;
                }
            }
        }

        /// <summary>False when an entry for the same event is already waiting: one event, two entries.</summary>
        public bool Offer(EntryRow entry, out Pair? pair)
        {
            lock (_gate)
            {
                pair = _events.Remove(entry.EventId, out var stored) ? new Pair(stored, entry) : null;
                return pair is not null || _entries.TryAdd(entry.EventId, entry);
            }
        }

        /// <summary>False when the same event id is already waiting: two events, one id.</summary>
        public bool Offer(EventRow stored, out Pair? pair)
        {
            lock (_gate)
            {
                pair = _entries.Remove(stored.Id, out var entry) ? new Pair(stored, entry) : null;
                return pair is not null || _events.TryAdd(stored.Id, stored);
            }
        }
    }

    /// <summary>How far one table's reader may run ahead of the other's: the ledger rows are small and would otherwise all wait in memory.</summary>
    private const int MaxUnmatched = 20_000;

    public static Task<Confirmation?> TryConfirmIntactAsync(LedgerRows rows, Digest? kept, DateTimeOffset now, CancellationToken ct) =>
        TryConfirmIntactAsync(rows, kept, [], now, ct);

    /// <param name="published">Checkpoints the log published: the tree must reach each one's size with its root.</param>
    public static async Task<Confirmation?> TryConfirmIntactAsync(LedgerRows rows, Digest? kept, IReadOnlyList<StoredCheckpoint> published, DateTimeOffset now, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var broken = 0;
        void Broken()
        {
            Interlocked.Exchange(ref broken, 1);
            stop.Cancel();
        }

        var matcher = new Matcher();
        var (entriesDone, eventsDone) = (false, false);
        async Task WaitWhileAheadAsync(Func<int> ahead, Func<bool> otherDone)
        {
            while (ahead() > MaxUnmatched && !otherDone())
            {
                // In an intact ledger one table can run ahead of the other, never both at once: then rows have no partner.
                if (matcher.EntriesAhead > MaxUnmatched && matcher.EventsAhead > MaxUnmatched)
                {
                    Broken();
                    return;
                }

                await Task.Delay(1, stop.Token);
            }
        }

        var pairs = Channel.CreateBounded<Pair>(new BoundedChannelOptions(4_096) { SingleWriter = false, SingleReader = false });
        var heads = new Dictionary<string, (long Version, byte[] Hash)>();
        var tree = new MerkleTree.Builder();
        byte[]? keptRoot = kept is { TreeSize: 0 } ? tree.Root() : null;
        var checkpoints = new PublishedCheckpointCheck.Pass(published);
        if (!checkpoints.Holds(tree))
        {
            return null;
        }

        long events = 0;

        // Passes a completed pair on to the checkers, or waits while this side has run too far ahead; false for a duplicate id.
        async Task<bool> HandOverAsync(bool offered, Pair? pair, bool fromEntries)
        {
            if (!offered)
            {
                Broken();
                return false;
            }

            if (pair is not null)
            {
                await pairs.Writer.WriteAsync(pair, stop.Token);
            }
            else if ((fromEntries ? matcher.EntriesAhead : matcher.EventsAhead) > MaxUnmatched)
            {
                await (fromEntries
                    ? WaitWhileAheadAsync(() => matcher.EntriesAhead, () => Volatile.Read(ref eventsDone))
                    : WaitWhileAheadAsync(() => matcher.EventsAhead, () => Volatile.Read(ref entriesDone)));
            }

            return true;
        }

        long unsequenced = 0;
        async Task ReadEntriesAsync()
        {
            // The sequenced prefix first, in position order, then the queue: a claim's queued entries follow its sequenced ones.
            await foreach (var entry in rows.StreamEntriesAsync(stop.Token).Concat(rows.StreamQueuedEntriesAsync(stop.Token)))
            {
                var sequenced = entry.Position != LedgerRows.Unsequenced;
                var (version, hash) = heads.GetValueOrDefault(entry.StreamId, (0, EntryHash.Genesis));
                if ((sequenced && entry.Position != tree.Count + 1) || entry.Version != version + 1 || !entry.PreviousHash.AsSpan().SequenceEqual(hash))
                {
                    Broken();
                    return;
                }

                heads[entry.StreamId] = (entry.Version, entry.EntryHash);
                if (sequenced)
                {
                    tree.Add(MerkleTree.LeafHash(entry.EntryHash));
                    if (tree.Count == kept?.TreeSize)
                    {
                        keptRoot = tree.Root();
                    }

                    if (!checkpoints.Holds(tree))
                    {
                        Broken();
                        return;
                    }
                }
                else
                {
                    unsequenced++;
                }

                if (!await HandOverAsync(matcher.Offer(entry, out var pair), pair, fromEntries: true))
                {
                    return;
                }
            }
        }

        async Task ReadEventsAsync()
        {
            await foreach (var stored in rows.StreamEventsAsync(stop.Token))
            {
                events++;
                if (!await HandOverAsync(matcher.Offer(stored, out var pair), pair, fromEntries: false))
                {
                    return;
                }
            }
        }

        async Task CheckAsync()
        {
            await foreach (var (stored, entry) in pairs.Reader.ReadAllAsync(stop.Token))
            {
                if (stored.StreamId != entry.StreamId || stored.Version != entry.Version
                    || LedgerVerifier.IsBackDated(stored, entry, kept)
                    || !EntryHash.IsKnownEncoding(entry.Encoding)
                    || !EntryHash.Compute(stored.Fields, entry.PreviousHash, entry.Encoding).AsSpan().SequenceEqual(entry.EntryHash))
                {
                    Broken();
                    return;
                }
            }
        }

        var checkers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(CheckAsync, stop.Token)).ToArray();
        try
        {
            async Task ReadThenMarkDoneAsync(Func<Task> read, Action done)
            {
                try
                {
                    await read();
                }
                finally
                {
                    done();
                }
            }

            await Task.WhenAll(
                Task.Run(() => ReadThenMarkDoneAsync(ReadEntriesAsync, () => Volatile.Write(ref entriesDone, true)), stop.Token),
                Task.Run(() => ReadThenMarkDoneAsync(ReadEventsAsync, () => Volatile.Write(ref eventsDone, true)), stop.Token));
            pairs.Writer.Complete();
            await Task.WhenAll(checkers);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && Volatile.Read(ref broken) == 1)
        {
            return null;
        }

        if (broken == 1 || matcher.EntriesAhead > 0 || matcher.EventsAhead > 0 || !checkpoints.AllReached
            || (kept is not null && (keptRoot is null || !string.Equals(Convert.ToHexStringLower(keptRoot), kept.RootHash, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        var streams = await rows.StreamVersionsAsync(ct);
        if (streams.Count != heads.Count || streams.Any(s => !heads.TryGetValue(s.Key, out var head) || head.Version != s.Value))
        {
            return null;
        }

        return new Confirmation(tree.Count, unsequenced, events, streams.Keys.Count(LedgerStreamIds.IsClaim), new Digest(tree.Count, Convert.ToHexStringLower(tree.Root()), now));
    }
}
