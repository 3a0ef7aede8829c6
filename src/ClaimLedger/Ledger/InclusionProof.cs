using System.Globalization;
using System.Text.Json.Serialization;
using ClaimLedger.Common;

namespace ClaimLedger.Ledger;

/// <summary>
/// The fields an entry hash covers, as a proof carries them: the checker recomputes the entry hash from these, so a
/// proof speaks for exactly this claim, version, event, payload and actor (and, from encoding 2, headers and correlation
/// id). <see cref="Timestamp"/> is the hash's own text form, and <see cref="Payload"/> and <see cref="Headers"/> are RFC 8785
/// canonical JSON (headers empty when the event has none), so another implementation hashes them as they are.
/// </summary>
/// <param name="Encoding">The entry hash's encoding; a proof without it is of an encoding 1 entry.</param>
public sealed record ProvenEntry(
    string ClaimId, long Version, Guid EventId, string EventType, string Timestamp, string Payload, string Actor, string PreviousHash,
    int Encoding = 1, string? Headers = null, string? CorrelationId = null)
{
    public static ProvenEntry Of(EventRow row, EntryRow entry) =>
        new(row.StreamId, row.Version, row.Id, row.Type, EntryHash.TimestampText(row.Timestamp), CanonicalJson.Canonicalize(row.Payload),
            row.UserName ?? "", Convert.ToHexStringLower(entry.PreviousHash), entry.Encoding,
            entry.Encoding >= 2 ? EntryHash.CanonicalHeaders(row.Headers) : null, entry.Encoding >= 2 ? row.CorrelationId ?? "" : null);

    /// <summary>The entry hash recomputed from the fields, or why the fields cannot be what was hashed.</summary>
    public byte[]? Hash(out string? defect)
    {
        defect = null;
        if (!DateTimeOffset.TryParseExact(Timestamp, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            defect = $"the entry's timestamp '{Timestamp}' is not in the form yyyy-MM-ddTHH:mm:ss.ffffffZ";
        }
        else if (!TryCanonical(Payload, out var canonical) || canonical != Payload)
        {
            defect = "the entry's payload is not RFC 8785 canonical JSON";
        }
        else if (PreviousHash is not { Length: 64 } || !PreviousHash.All(char.IsAsciiHexDigit))
        {
            defect = "the entry's previousHash is not 64 hex digits";
        }
        else if (Version < 1 || ClaimId is not { Length: > 0 } || EventType is not { Length: > 0 } || Actor is null)
        {
            defect = "the entry lacks its claimId, version, eventType or actor";
        }
        else if (!EntryHash.IsKnownEncoding(Encoding))
        {
            defect = $"the entry's encoding {Encoding} is not 1 or 2";
        }
        else if (Encoding >= 2 && (!(Headers is "" || (TryCanonical(Headers, out var headers) && headers == Headers)) || CorrelationId is null))
        {
            defect = "an encoding 2 entry needs its headers as RFC 8785 canonical JSON (empty when none) and its correlationId";
        }

        return defect is null
            ? EntryHash.Compute(new LedgerEntryFields(ClaimId, Version, EventId, EventType, time, Payload, Actor!, Headers, CorrelationId), Convert.FromHexString(PreviousHash), Encoding)
            : null;
    }

    private static bool TryCanonical(string? json, out string canonical)
    {
        try
        {
            canonical = CanonicalJson.Canonicalize(json ?? "");
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            canonical = "";
            return false;
        }
    }
}

/// <summary>
/// Proof that <see cref="Entry"/> is leaf <see cref="LeafIndex"/> of the ledger's tree of <see cref="TreeSize"/> entries
/// with root <see cref="RootHash"/>. On its own it only shows that the path is well formed; it says something about the
/// log only against a root the checker trusts: a kept digest, or a checkpoint signed by the log's key
/// (<see cref="Checkpoint"/>, a C2SP signed note), both checked by <c>claimledger audit check-proof</c>.
/// </summary>
public sealed record InclusionProof(
    string Format, ProvenEntry Entry, string EntryHash, long LeafIndex, long TreeSize, string RootHash,
    IReadOnlyList<string> AuditPath, string? Checkpoint, DateTimeOffset ComputedAt)
{
    public const string CurrentFormat = "claimledger-inclusion-proof/2";

    [JsonIgnore] public string ClaimId => Entry.ClaimId;

    [JsonIgnore] public long Version => Entry.Version;

    /// <summary>The index of the claim's entry at <paramref name="version"/> (its latest if null) among the first <paramref name="size"/> entries.</summary>
    public static int IndexOf(IReadOnlyList<EntryRow> entries, int size, string claimId, long? version)
    {
        for (var i = size - 1; i >= 0; i--)
        {
            if (entries[i].StreamId == claimId && (version is null || entries[i].Version == version))
            {
                return i;
            }
        }

        throw new NotFoundException("ledger entry", version is null ? $"{claimId} (within the first {size:N0} entries)" : $"{claimId} version {version} (within the first {size:N0} entries)");
    }

    public static InclusionProof Build(EntryRow entry, EventRow entryEvent, IReadOnlyList<byte[]> leaves, int index, string? checkpoint, DateTimeOffset at) =>
        new(CurrentFormat, ProvenEntry.Of(entryEvent, entry), Convert.ToHexStringLower(entry.EntryHash), index, leaves.Count,
            Convert.ToHexStringLower(MerkleTree.Root(leaves)),
            MerkleTree.InclusionProof(leaves, index).Select(Convert.ToHexStringLower).ToArray(),
            checkpoint, at);

    /// <summary>
    /// Null when the entry, hashed from its own fields and walked up the audit path, reaches <see cref="RootHash"/>;
    /// otherwise what is wrong. This alone proves nothing about the log: anyone can make a path to a root of their own.
    /// </summary>
    public string? PathDefect()
    {
        if (Format != CurrentFormat)
        {
            return Format == "claimledger-inclusion-proof/1"
                ? "a format 1 proof does not carry the entry's fields, so it cannot show which claim and version it proves; make a new one with claimledger audit proof"
                : $"the format is '{Format}', not {CurrentFormat}";
        }

        if (Entry is null)
        {
            return "the proof has no entry";
        }

        if (Entry.Hash(out var defect) is not { } recomputed)
        {
            return defect;
        }

        if (!string.Equals(EntryHash, Convert.ToHexStringLower(recomputed), StringComparison.OrdinalIgnoreCase))
        {
            return "the entry's fields do not hash to the proof's entryHash: the entry was changed";
        }

        if (!IsHash(RootHash) || AuditPath is null || AuditPath.Any(p => !IsHash(p)))
        {
            return "the root hash and every audit path element must be 64 hex digits";
        }

        return MerkleTree.VerifyInclusion(LeafIndex, TreeSize, MerkleTree.LeafHash(recomputed), AuditPath.Select(Convert.FromHexString).ToArray(), Convert.FromHexString(RootHash))
            ? null
            : $"the entry and its audit path do not lead to the root of the {TreeSize:N0}-entry tree";
    }

    /// <summary>The path holds and the tree is the one a kept digest describes.</summary>
    public bool HoldsAgainst(Digest digest) =>
        PathDefect() is null && digest.TreeSize == TreeSize && string.Equals(digest.RootHash, RootHash, StringComparison.OrdinalIgnoreCase);

    private static bool IsHash(string? hex) => hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit);
}
