namespace ClaimLedger.Ledger;

/// <summary>
/// Every checkpoint the log published vouches for its first entries: the ledger must still hold at least that many,
/// hashing to the root that was signed. Checked like a kept digest, in one pass over the tree.
/// </summary>
public static class PublishedCheckpointCheck
{
    /// <summary>What is wrong with <paramref name="entries"/> (the sequenced entries, in position order) against each checkpoint.</summary>
    public static IEnumerable<LedgerBreak> Breaks(IReadOnlyList<EntryRow> entries, IReadOnlyList<StoredCheckpoint> published)
    {
        var tree = new MerkleTree.Builder();
        foreach (var checkpoint in published.OrderBy(c => c.TreeSize))
        {
            if (checkpoint.TreeSize > entries.Count)
            {
                yield return new LedgerBreak("*", null, BreakKinds.TailTruncated,
                    $"the ledger has {entries.Count} entries, fewer than the {checkpoint.TreeSize} of the checkpoint {Describe(checkpoint)}");
                continue;
            }

            while (tree.Count < checkpoint.TreeSize)
            {
                tree.Add(MerkleTree.LeafHash(entries[(int)tree.Count].EntryHash));
            }

            var root = tree.Root();
            if (!root.AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                yield return new LedgerBreak("*", null, BreakKinds.HistoryRewritten,
                    $"the first {checkpoint.TreeSize} entries no longer hash to the root of the checkpoint {Describe(checkpoint)} " +
                    $"({checkpoint.RootHex[..16]}…, now {Convert.ToHexStringLower(root)[..16]}…): history was rewritten after it was signed");
            }
        }
    }

    /// <summary>
    /// Checks the checkpoints as a tree is built leaf by leaf: call <see cref="Holds"/> before the first leaf and after
    /// each; <see cref="AllReached"/> at the end says whether the tree grew to the largest one.
    /// </summary>
    public sealed class Pass(IReadOnlyList<StoredCheckpoint> published)
    {
        private readonly Queue<StoredCheckpoint> _pending = new(published.OrderBy(c => c.TreeSize));

        public bool AllReached => _pending.Count == 0;

        public bool Holds(MerkleTree.Builder tree)
        {
            while (_pending.Count > 0 && _pending.Peek().TreeSize == tree.Count)
            {
                if (!_pending.Dequeue().RootHash.AsSpan().SequenceEqual(tree.Root()))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static string Describe(StoredCheckpoint checkpoint) => $"of size {checkpoint.TreeSize} that {checkpoint.Origin} published at {checkpoint.PublishedAt:u}";
}
