using System.Text.Json;
using ClaimLedger.Common;

namespace ClaimLedger.Ledger;

/// <summary>
/// What an auditor keeps outside the database: how many entries the ledger had and the Merkle root over them.
/// Any later ledger must contain exactly these entries as its first <see cref="TreeSize"/>.
/// </summary>
public sealed record Digest(long TreeSize, string RootHash, DateTimeOffset ComputedAt)
{
    public static Digest Of(IReadOnlyList<EntryRow> entries, long size, DateTimeOffset at) =>
        new(size, Convert.ToHexStringLower(MerkleTree.Root(entries.Take((int)size).Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray())), at);

    public static Digest Read(string path)
    {
        try
        {
            var digest = JsonSerializer.Deserialize<Digest>(File.ReadAllText(path), JsonSerializerOptions.Web);
            return digest is { TreeSize: >= 0, RootHash.Length: 64 }
                ? digest
                : throw new RequestValidationException([new("digest", $"a digest written by claimledger audit digest; {path} lacks treeSize or a 64-character rootHash")]);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new("digest", $"a readable digest file written by claimledger audit digest; {path}: {e.Message}")]);
        }
    }
}
