using System.Security.Cryptography;

namespace ClaimLedger.Ledger;

/// <summary>
/// RFC 6962 Merkle trees over ledger entries: leaf <c>H(0x00 ‖ entry)</c>, node <c>H(0x01 ‖ left ‖ right)</c>,
/// the left subtree always the largest power of two smaller than the whole.
/// </summary>
public static class MerkleTree
{
    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[data.Length + 1];
        data.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var buffer = new byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer.AsSpan(1));
        right.CopyTo(buffer.AsSpan(1 + left.Length));
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// The tree head computed as leaves arrive, holding one subtree per set bit of the count: full subtrees are merged
    /// as soon as they pair up, and the rest are folded right to left at the end, which is exactly RFC 6962's split.
    /// </summary>
    public sealed class Builder
    {
        private readonly List<(byte[] Hash, long Size)> _subtrees = [];

        public long Count { get; private set; }

        public void Add(byte[] leafHash)
        {
            Count++;
            var (hash, size) = (leafHash, 1L);
            while (_subtrees.Count > 0 && _subtrees[^1].Size == size)
            {
                (hash, size) = (NodeHash(_subtrees[^1].Hash, hash), size * 2);
                _subtrees.RemoveAt(_subtrees.Count - 1);
            }

            _subtrees.Add((hash, size));
        }

        public byte[] Root()
        {
            if (_subtrees.Count == 0)
            {
                return SHA256.HashData([]);
            }

            var root = _subtrees[^1].Hash;
            for (var i = _subtrees.Count - 2; i >= 0; i--)
            {
                root = NodeHash(_subtrees[i].Hash, root);
            }

            return root;
        }
    }

    /// <summary>The tree head over leaf hashes already computed with <see cref="LeafHash"/>.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => leaves.Count == 0 ? SHA256.HashData([]) : Root(leaves, 0, leaves.Count);

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var split = LargestPowerOfTwoBelow(count);
        return NodeHash(Root(leaves, start, split), Root(leaves, start + split, count - split));
    }

    /// <summary>The audit path of leaf <paramref name="index"/> in the tree of all <paramref name="leaves"/>, leaf side first.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var path = new List<byte[]>();
        Path(leaves, 0, leaves.Count, index, path);
        return path;
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int start, int count, int index, List<byte[]> path)
    {
        if (count == 1)
        {
            return;
        }

        var split = LargestPowerOfTwoBelow(count);
        if (index < split)
        {
            Path(leaves, start, split, index, path);
            path.Add(Root(leaves, start + split, count - split));
        }
        else
        {
            Path(leaves, start + split, count - split, index - split, path);
            path.Add(Root(leaves, start, split));
        }
    }

    /// <summary>RFC 9162's check of an inclusion proof: does this leaf, with this path, lead to this root?</summary>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= treeSize)
        {
            return false;
        }

        var (fn, sn) = (index, treeSize - 1);
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0 || p.Length != 32)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// RFC 6962 §2.1.2's consistency proof that the tree of the first <paramref name="oldSize"/> leaves is a prefix of the
    /// tree of the first <paramref name="newSize"/>: empty when the sizes are equal or the old tree is empty.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, int oldSize, int newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(newSize, leaves.Count);
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(leaves, 0, newSize, oldSize, completeSubtree: true, proof);
        }

        return proof;
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int start, int count, int m, bool completeSubtree, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!completeSubtree)
            {
                proof.Add(Root(leaves, start, count));
            }

            return;
        }

        var split = LargestPowerOfTwoBelow(count);
        if (m <= split)
        {
            SubProof(leaves, start, split, m, completeSubtree, proof);
            proof.Add(Root(leaves, start + split, count - split));
        }
        else
        {
            SubProof(leaves, start + split, count - split, m - split, completeSubtree: false, proof);
            proof.Add(Root(leaves, start, split));
        }
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2's check of a consistency proof: do both roots follow from the proof, so that the old tree is
    /// exactly the first <paramref name="oldSize"/> leaves of the new one? An empty old tree is a prefix of every tree.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize || proof.Any(p => p.Length != 32))
        {
            return false;
        }

        if (oldSize == 0)
        {
            return proof.Count == 0;
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        IReadOnlyList<byte[]> path = (oldSize & (oldSize - 1)) == 0 ? [oldRoot.ToArray(), .. proof] : proof;
        var (fn, sn) = (oldSize - 1, newSize - 1);
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var (fr, sr) = (path[0], path[0]);
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
