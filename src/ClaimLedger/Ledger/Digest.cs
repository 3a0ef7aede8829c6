using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimLedger.Common;

namespace ClaimLedger.Ledger;

/// <summary>
/// What an auditor keeps outside the database: how many entries the ledger had and the Merkle root over them.
/// Any later ledger must contain exactly these entries as its first <see cref="TreeSize"/>.
/// </summary>
/// <param name="Claims">
/// Optional, so that a break found only through this digest can be named: for every claim with entries among the first
/// <see cref="TreeSize"/>, the first 4 bytes of each of its entry hashes in version order, as hex (8 digits per version).
/// The root alone proves that something changed; these say which claim and version. They prove nothing by themselves.
/// </param>
public sealed record Digest(
    long TreeSize, string RootHash, DateTimeOffset ComputedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Claims = null)
{
    /// <summary>Hex digits kept per entry in <see cref="Claims"/>.</summary>
    public const int FingerprintDigits = 8;

    public static Digest Of(IReadOnlyList<EntryRow> entries, long size, DateTimeOffset at) =>
        new(size, Convert.ToHexStringLower(MerkleTree.Root(entries.Take((int)size).Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray())), at);

    /// <summary>The digest with every claim's entry fingerprints, for an auditor to keep.</summary>
    public static Digest WithClaims(IReadOnlyList<EntryRow> entries, long size, DateTimeOffset at)
    {
        var claims = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        foreach (var entry in entries.Take((int)size).OrderBy(e => e.Version))
        {
            if (!claims.TryGetValue(entry.StreamId, out var fingerprints))
            {
                claims[entry.StreamId] = fingerprints = new System.Text.StringBuilder();
            }

            fingerprints.Append(Fingerprint(entry.EntryHash));
        }

        return Of(entries, size, at) with { Claims = claims.ToDictionary(c => c.Key, c => c.Value.ToString(), StringComparer.Ordinal) };
    }

    public static string Fingerprint(byte[] entryHash) => Convert.ToHexStringLower(entryHash, 0, FingerprintDigits / 2);

    public static Digest Read(string path)
    {
        try
        {
            var digest = JsonSerializer.Deserialize<Digest>(File.ReadAllText(path), JsonSerializerOptions.Web);
            return digest is { TreeSize: >= 0, RootHash.Length: 64 }
                   && digest.Claims?.Values.All(f => f is not null && f.Length % FingerprintDigits == 0 && f.All(char.IsAsciiHexDigit)) != false
                ? digest
                : throw new RequestValidationException([new("digest", $"a digest written by claimledger audit digest; {path} lacks treeSize or a 64-character rootHash, or its claims are not hex fingerprints")]);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new("digest", $"a readable digest file written by claimledger audit digest; {path}: {e.Message}")]);
        }
    }
}
