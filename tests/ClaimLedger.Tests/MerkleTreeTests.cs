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

    // Certificate Transparency's published consistency proofs between prefixes of the reference tree (old size, new size, path).
    public static TheoryData<int, int, string[]> ReferenceConsistencyProofs => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    [Theory]
    [MemberData(nameof(ReferenceConsistencyProofs))]
    public void consistency_proofs_match_the_reference_paths_and_verify(int oldSize, int newSize, string[] expected)
    {
        var proof = MerkleTree.ConsistencyProof(ReferenceLeaves, oldSize, newSize);

        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize, Convert.FromHexString(ReferenceRoots[oldSize]), Convert.FromHexString(ReferenceRoots[newSize]), proof));
    }

    [Fact]
    public void every_pair_of_tree_sizes_proves_its_consistency_and_no_other_root_does()
    {
        var leaves = Enumerable.Range(0, 37).Select(i => MerkleTree.LeafHash([(byte)i, (byte)(i * 3)])).ToArray();
        for (var newSize = 0; newSize <= leaves.Length; newSize++)
        {
            var newRoot = MerkleTree.Root(leaves[..newSize]);
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var oldRoot = MerkleTree.Root(leaves[..oldSize]);
                var proof = MerkleTree.ConsistencyProof(leaves, oldSize, newSize);
                Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof), $"{oldSize} -> {newSize}");
                if (oldSize > 0)
                {
                    var otherOld = MerkleTree.Root([.. leaves[..(oldSize - 1)], MerkleTree.LeafHash([0xff])]);
                    Assert.False(MerkleTree.VerifyConsistency(oldSize, newSize, otherOld, newRoot, proof), $"forged {oldSize} -> {newSize}");
                }
            }
        }
    }

    [Fact]
    public void a_short_bit_flipped_or_reversed_consistency_proof_is_refused()
    {
        var (root6, root8) = (Convert.FromHexString(ReferenceRoots[6]), Convert.FromHexString(ReferenceRoots[8]));
        var proof = MerkleTree.ConsistencyProof(ReferenceLeaves, 6, 8);
        var flippedRoot = root8.ToArray();
        flippedRoot[31] ^= 1;

        Assert.False(MerkleTree.VerifyConsistency(6, 8, root6, root8, proof.Take(2).ToArray()));
        Assert.False(MerkleTree.VerifyConsistency(6, 8, root6, flippedRoot, proof));
        Assert.False(MerkleTree.VerifyConsistency(6, 8, flippedRoot, root8, proof));
        Assert.False(MerkleTree.VerifyConsistency(8, 6, root8, root6, proof));
        Assert.False(MerkleTree.VerifyConsistency(6, 6, root6, root8, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 8, Convert.FromHexString(ReferenceRoots[0]), root8, proof));
        Assert.True(MerkleTree.VerifyConsistency(0, 8, Convert.FromHexString(ReferenceRoots[0]), root8, []));
    }

    [Fact]
    public void an_audit_path_from_a_real_certificate_transparency_log_verifies()
    {
        // Published with CT's verifier tests: leaf 848049 of a 3,630,887-entry tree of a production log, 22 siblings deep.
        string[] path =
        [
            "1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd", "0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4",
            "3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d", "9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe",
            "0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2", "2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330",
            "b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048", "933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966",
            "b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2", "daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45",
            "7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc", "1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56",
            "12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66", "29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11",
            "b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009", "4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8",
            "86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f", "a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6",
            "06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1", "f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960",
            "40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d", "b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a",
        ];
        var leaf = Convert.FromHexString("7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78");
        var root = Convert.FromHexString("78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb");
        var hashes = path.Select(Convert.FromHexString).ToArray();

        Assert.True(MerkleTree.VerifyInclusion(848049, 3630887, leaf, hashes, root));
        Assert.False(MerkleTree.VerifyInclusion(848050, 3630887, leaf, hashes, root));
        Assert.False(MerkleTree.VerifyInclusion(848049, 3630887, leaf, hashes, new byte[32]));
    }
}
