using System.Collections.Concurrent;
using System.Threading.Channels;

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
    public sealed record Confirmation(long Entries, long Events, int Claims, Digest Current);

    private sealed record Pair(EventRow Event, EntryRow Entry);

    /// <summary>How far one table's reader may run ahead of the other's: the ledger rows are small and would otherwise all wait in memory.</summary>
    private const int MaxUnmatched = 20_000;

    public static async Task<Confirmation?> TryConfirmIntactAsync(LedgerRows rows, Digest? kept, DateTimeOffset now, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var broken = 0;
        void Broken()
        {
            Interlocked.Exchange(ref broken, 1);
            stop.Cancel();
        }

        var unmatchedEntries = new ConcurrentDictionary<Guid, EntryRow>();
        var (entriesAhead, eventsAhead, entriesDone, eventsDone, waiting) = (0, 0, false, false, 0);
        async Task WaitWhileAheadAsync(Func<int> ahead, Func<bool> otherDone)
        {
            // Both readers far ahead of each other means rows have no partner: not a ledger this scan can confirm.
            if (Interlocked.Increment(ref waiting) > 1)
            {
                Broken();
            }

            while (ahead() > MaxUnmatched && !otherDone())
            {
                await Task.Delay(1, stop.Token);
            }

            Interlocked.Decrement(ref waiting);
        }

        var unmatchedEvents = new ConcurrentDictionary<Guid, EventRow>();
        var pairs = Channel.CreateBounded<Pair>(new BoundedChannelOptions(4_096) { SingleWriter = false, SingleReader = false });
        var heads = new Dictionary<string, (long Version, byte[] Hash)>();
        var tree = new MerkleTree.Builder();
        byte[]? keptRoot = kept is { TreeSize: 0 } ? tree.Root() : null;
        long events = 0;

        async Task ReadEntriesAsync()
        {
            await foreach (var entry in rows.StreamEntriesAsync(stop.Token))
            {
                var (version, hash) = heads.GetValueOrDefault(entry.StreamId, (0, EntryHash.Genesis));
                if (entry.Position != tree.Count + 1 || entry.Version != version + 1 || !entry.PreviousHash.AsSpan().SequenceEqual(hash))
                {
                    Broken();
                    return;
                }

                heads[entry.StreamId] = (entry.Version, entry.EntryHash);
                tree.Add(MerkleTree.LeafHash(entry.EntryHash));
                if (tree.Count == kept?.TreeSize)
                {
                    keptRoot = tree.Root();
                }

                if (unmatchedEvents.TryRemove(entry.EventId, out var stored))
                {
                    Interlocked.Decrement(ref eventsAhead);
                    await pairs.Writer.WriteAsync(new Pair(stored, entry), stop.Token);
                }
                else if (!unmatchedEntries.TryAdd(entry.EventId, entry))
                {
                    Broken();
                    return;
                }
                else if (Interlocked.Increment(ref entriesAhead) > MaxUnmatched)
                {
                    await WaitWhileAheadAsync(() => Volatile.Read(ref entriesAhead), () => Volatile.Read(ref eventsDone));
                }
            }
        }

        async Task ReadEventsAsync()
        {
            await foreach (var stored in rows.StreamEventsAsync(stop.Token))
            {
                events++;
                if (unmatchedEntries.TryRemove(stored.Id, out var entry))
                {
                    Interlocked.Decrement(ref entriesAhead);
                    await pairs.Writer.WriteAsync(new Pair(stored, entry), stop.Token);
                }
                else if (!unmatchedEvents.TryAdd(stored.Id, stored))
                {
                    Broken();
                    return;
                }
                else if (Interlocked.Increment(ref eventsAhead) > MaxUnmatched)
                {
                    await WaitWhileAheadAsync(() => Volatile.Read(ref eventsAhead), () => Volatile.Read(ref entriesDone));
                }
            }
        }

        async Task CheckAsync()
        {
            await foreach (var (stored, entry) in pairs.Reader.ReadAllAsync(stop.Token))
            {
                if (stored.StreamId != entry.StreamId || stored.Version != entry.Version
                    || !EntryHash.Compute(stored.Fields, entry.PreviousHash).AsSpan().SequenceEqual(entry.EntryHash))
                {
                    Broken();
                    return;
                }
            }
        }

        var checkers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(CheckAsync, stop.Token)).ToArray();
        try
        {
            await Task.WhenAll(
                Task.Run(async () =>
                {
                    try
                    {
                        await ReadEntriesAsync();
                    }
                    finally
                    {
                        Volatile.Write(ref entriesDone, true);
                    }
                }, stop.Token),
                Task.Run(async () =>
                {
                    try
                    {
                        await ReadEventsAsync();
                    }
                    finally
                    {
                        Volatile.Write(ref eventsDone, true);
                    }
                }, stop.Token));
            pairs.Writer.Complete();
            await Task.WhenAll(checkers);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && Volatile.Read(ref broken) == 1)
        {
            return null;
        }

        if (broken == 1 || !unmatchedEntries.IsEmpty || !unmatchedEvents.IsEmpty
            || (kept is not null && (keptRoot is null || !string.Equals(Convert.ToHexStringLower(keptRoot), kept.RootHash, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        var streams = await rows.StreamVersionsAsync(ct);
        if (streams.Count != heads.Count || streams.Any(s => !heads.TryGetValue(s.Key, out var head) || head.Version != s.Value))
        {
            return null;
        }

        return new Confirmation(tree.Count, events, streams.Count, new Digest(tree.Count, Convert.ToHexStringLower(tree.Root()), now));
    }
}
