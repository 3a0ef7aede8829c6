using ClaimLedger.Ledger;

namespace ClaimLedger.Transparency;

/// <summary>A consistency proof as <c>claimledger audit consistency</c> writes it: both signed checkpoints and the RFC 6962 path, in hex.</summary>
public sealed record ConsistencyProofFile(string Format, string OldCheckpoint, string NewCheckpoint, IReadOnlyList<string> Proof)
{
    public const string CurrentFormat = "claimledger-consistency-proof/1";
}

/// <summary>
/// Checks proofs offline, with nothing but the log's public key or a digest kept earlier. A proof is <see cref="ProofStatus.Proven"/>
/// only against such a trusted root; a well-formed proof without one is <see cref="ProofStatus.Unanchored"/>: it proves nothing
/// about the log, since anyone can build a path to a root of their own making.
/// </summary>
public static class ProofCheck
{
    public enum ProofStatus
    {
        Proven,
        Unanchored,
        Invalid,
    }

    public sealed record Outcome(ProofStatus Status, string Summary);

    private const string NothingProven =
        "this proves nothing about the log: the path leads to a root the proof chose itself. Check it against a checkpoint " +
        "signed by the log's key (--key) or a digest you kept (--digest).";

    public static Outcome Inclusion(InclusionProof proof, NoteVerifierKey? logKey, string? checkpointNote, Digest? digest)
    {
        if (proof.PathDefect() is { } defect)
        {
            return new(ProofStatus.Invalid, defect);
        }

        var what = $"claim {proof.ClaimId} version {proof.Version} (event {proof.Entry.EventId:D}) is entry {proof.LeafIndex + 1:N0} of the {proof.TreeSize:N0}-entry tree with root {proof.RootHash}";
        if (digest is not null)
        {
            return proof.HoldsAgainst(digest)
                ? new(ProofStatus.Proven, $"{what}, the tree of the kept digest.")
                : new(ProofStatus.Invalid, $"the proof's tree (size {proof.TreeSize:N0}, root {proof.RootHash}) is not the kept digest's (size {digest.TreeSize:N0}, root {digest.RootHash}).");
        }

        if (logKey is null)
        {
            return new(ProofStatus.Unanchored, $"the entry's fields and audit path lead to the proof's root, but {NothingProven}");
        }

        if ((checkpointNote ?? proof.Checkpoint) is not { } note)
        {
            return new(ProofStatus.Invalid, "the proof carries no checkpoint; give one with --checkpoint FILE (claimledger audit checkpoint, or GET /transparency/checkpoint).");
        }

        SignedCheckpoint signed;
        try
        {
            signed = SignedCheckpoint.Open(note, logKey);
        }
        catch (FormatException e)
        {
            return new(ProofStatus.Invalid, $"the checkpoint is not one the log signed: {e.Message}");
        }

        return signed.Checkpoint.Size == proof.TreeSize && string.Equals(signed.Checkpoint.RootHex, proof.RootHash, StringComparison.OrdinalIgnoreCase)
            ? new(ProofStatus.Proven, $"{what}, the tree of the checkpoint signed by {logKey.Name}.")
            : new(ProofStatus.Invalid, $"the proof's tree (size {proof.TreeSize:N0}, root {proof.RootHash}) is not the signed checkpoint's ({signed.Checkpoint}).");
    }

    public static Outcome Consistency(ConsistencyProofFile file, NoteVerifierKey? logKey)
    {
        if (file.Format != ConsistencyProofFile.CurrentFormat)
        {
            return new(ProofStatus.Invalid, $"the format is '{file.Format}', not {ConsistencyProofFile.CurrentFormat}");
        }

        if (logKey is null)
        {
            return new(ProofStatus.Unanchored, $"without the log's key (--key) the checkpoints' signatures cannot be checked, so {NothingProven}");
        }

        SignedCheckpoint older, newer;
        try
        {
            (older, newer) = (SignedCheckpoint.Open(file.OldCheckpoint, logKey), SignedCheckpoint.Open(file.NewCheckpoint, logKey));
        }
        catch (FormatException e)
        {
            return new(ProofStatus.Invalid, $"a checkpoint is not one the log signed: {e.Message}");
        }

        return Between(older.Checkpoint, newer.Checkpoint, file.Proof) is { } refusal
            ? new(ProofStatus.Invalid, refusal.Reason)
            : new(ProofStatus.Proven, $"the log's tree at size {older.Checkpoint.Size:N0} is the first {older.Checkpoint.Size:N0} entries of its tree at size {newer.Checkpoint.Size:N0}: nothing before was changed or removed.");
    }

    public sealed record Refusal(string Kind, string Reason);

    /// <summary>Null when <paramref name="newer"/> extends <paramref name="older"/> by this proof; otherwise why not (rollback, fork or inconsistent proof).</summary>
    public static Refusal? Between(Checkpoint older, Checkpoint newer, IReadOnlyList<string>? proof)
    {
        if (older.Origin != newer.Origin)
        {
            return new("other-log", $"the checkpoints are of two logs, '{older.Origin}' and '{newer.Origin}'");
        }

        if (newer.Size < older.Size)
        {
            return new("rollback", $"the log is shorter than before: size {newer.Size:N0} after {older.Size:N0}. Entries were removed.");
        }

        if (newer.Size == older.Size && !newer.RootHash.AsSpan().SequenceEqual(older.RootHash))
        {
            return new("fork", $"two checkpoints of size {newer.Size:N0} with different roots ({older.RootHex} before, {newer.RootHex} now): history was rewritten.");
        }

        if (!Hex.TryDecodeAll(proof, out var path))
        {
            return new("inconsistent-proof", "the consistency proof is not a list of 64-hex-digit hashes");
        }

        return MerkleTree.VerifyConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash, path)
            ? null
            : new("inconsistent-proof", $"the consistency proof from size {older.Size:N0} to {newer.Size:N0} does not hold: the log's first {older.Size:N0} entries no longer hash to the root accepted before. History was rewritten.");
    }
}
