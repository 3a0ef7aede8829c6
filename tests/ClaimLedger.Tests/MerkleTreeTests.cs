using ClaimLedger.Ledger;

namespace ClaimLedger.Tests;

public class MerkleTreeTests
{
    // Certificate Transparency's reference leaves and the RFC 6962 tree heads for their first 0..8 leaves.
    private static readonly byte[][] ReferenceLeaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).Select(d => MerkleTree.LeafHash(d)).ToArray();

    private static readonly string[] ReferenceRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [Fact]
    public void tree_heads_match_the_rfc_6962_reference_for_every_size_up_to_eight()
    {
        for (var size = 0; size <= 8; size++)
        {
            Assert.Equal(ReferenceRoots[size], Hex(MerkleTree.Root(ReferenceLeaves[..size])));
        }
    }

    [Fact]
    public void a_tree_head_built_leaf_by_leaf_matches_the_reference_and_the_recursive_one_for_every_size_up_to_300()
    {
        var builder = new MerkleTree.Builder();
        Assert.Equal(ReferenceRoots[0], Hex(builder.Root()));
        var leaves = Enumerable.Range(0, 300).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToArray();
        for (var size = 1; size <= leaves.Length; size++)
        {
            builder.Add(leaves[size - 1]);
            Assert.Equal(Hex(MerkleTree.Root(leaves[..size])), Hex(builder.Root()));
        }

        var reference = new MerkleTree.Builder();
        foreach (var leaf in ReferenceLeaves)
        {
            reference.Add(leaf);
        }

        Assert.Equal(ReferenceRoots[8], Hex(reference.Root()));
    }

    [Theory]
    [InlineData(0, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(5, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    public void inclusion_proofs_match_the_reference_paths_and_verify(int index, string[] expected)
    {
        var proof = MerkleTree.InclusionProof(ReferenceLeaves, index);

        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleTree.VerifyInclusion(index, 8, ReferenceLeaves[index], proof, Convert.FromHexString(ReferenceRoots[8])));
    }

    [Fact]
    public void every_leaf_of_every_tree_size_proves_its_inclusion()
    {
        var leaves = Enumerable.Range(0, 37).Select(i => MerkleTree.LeafHash([(byte)i, (byte)(i * 7)])).ToArray();
        for (var size = 1; size <= leaves.Length; size++)
        {
            var tree = leaves[..size];
            var root = MerkleTree.Root(tree);
            for (var index = 0; index < size; index++)
            {
                Assert.True(MerkleTree.VerifyInclusion(index, size, tree[index], MerkleTree.InclusionProof(tree, index), root), $"leaf {index} of {size}");
            }
        }
    }

    [Fact]
    public void a_bit_flipped_truncated_or_misplaced_proof_is_refused()
    {
        var root = Convert.FromHexString(ReferenceRoots[8]);
        var proof = MerkleTree.InclusionProof(ReferenceLeaves, 5);

        var flipped = proof.Select(p => p.ToArray()).ToArray();
        flipped[1][7] ^= 0x04;
        var flippedLeaf = ReferenceLeaves[5].ToArray();
        flippedLeaf[0] ^= 0x80;

        Assert.False(MerkleTree.VerifyInclusion(5, 8, ReferenceLeaves[5], flipped, root));
        Assert.False(MerkleTree.VerifyInclusion(5, 8, ReferenceLeaves[5], proof.Take(2).ToArray(), root));
        Assert.False(MerkleTree.VerifyInclusion(5, 8, ReferenceLeaves[5], [.. proof, proof[0]], root));
        Assert.False(MerkleTree.VerifyInclusion(5, 8, flippedLeaf, proof, root));
        Assert.False(MerkleTree.VerifyInclusion(4, 8, ReferenceLeaves[5], proof, root));
        Assert.False(MerkleTree.VerifyInclusion(5, 7, ReferenceLeaves[5], proof, Convert.FromHexString(ReferenceRoots[7])));
        Assert.False(MerkleTree.VerifyInclusion(8, 8, ReferenceLeaves[5], proof, root));
    }
}
