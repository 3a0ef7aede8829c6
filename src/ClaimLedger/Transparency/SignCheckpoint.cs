using ClaimLedger.Common;
using ClaimLedger.Ledger;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>
/// The log's signer key, read from its file on first use and kept for the life of the process, and the last checkpoint
/// signed with it, kept beside the key (<see cref="TransparencyOptions.LastCheckpointPath"/>) so that no later signing,
/// by the server or the CLI, after a restart or not, signs a tree that does not extend it.
/// </summary>
public sealed class CheckpointSigner(TransparencyOptions options) : IDisposable
{
    private readonly Lazy<NoteSignerKey> _key = new(() => SigningKeyFile.Load(options.SigningKeyPath));
    private readonly Lock _gate = new();

    public NoteSignerKey Key => _key.Value;

    /// <summary>The last checkpoint this key signed, or null if it never signed one.</summary>
    public Checkpoint? LastSigned()
    {
        var path = options.LastCheckpointPath;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return SignedCheckpoint.Open(File.ReadAllText(path), Key.Verifier).Checkpoint;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new ClaimRuleException("last-checkpoint-unreadable",
                $"{path} should hold the last checkpoint signed with {Key.Name}, but {e.Message}. Restore it from a witness or a backup; no checkpoint is signed until then.");
        }
    }

    /// <summary>Records <paramref name="signed"/> as the last checkpoint signed, unless a larger one was recorded meanwhile.</summary>
    public void Remember(SignedCheckpoint signed)
    {
        lock (_gate)
        {
            if (LastSigned() is { } last && last.Size > signed.Checkpoint.Size)
            {
                return;
            }

            var path = options.LastCheckpointPath;
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, signed.Note.Encoded);
            File.Move(temporary, path, overwrite: true);
        }
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}

/// <summary>The ledger's entries as the leaves of its RFC 6962 tree, in position order.</summary>
public static class LogTree
{
    public static async Task<List<byte[]>> LeavesAsync(LedgerRows rows, CancellationToken ct)
    {
        var leaves = new List<byte[]>();
        await foreach (var entry in rows.StreamEntriesAsync(ct))
        {
            leaves.Add(MerkleTree.LeafHash(entry.EntryHash));
        }

        return leaves;
    }
}

/// <summary>A checkpoint as signed: its parsed body and the signed note to publish.</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, SignedNote Note)
{
    /// <summary>Opens a note as a checkpoint of the log whose key is <paramref name="logKey"/>, or says why it is not one.</summary>
    public static SignedCheckpoint Open(string noteText, NoteVerifierKey logKey)
    {
        var note = SignedNote.Parse(noteText);
        var checkpoint = Checkpoint.Parse(note.Text);
        if (checkpoint.Origin != logKey.Name)
        {
            throw new FormatException($"the checkpoint's origin is '{checkpoint.Origin}', not the key's name '{logKey.Name}'");
        }

        return note.IsSignedBy(logKey)
            ? new SignedCheckpoint(checkpoint, note)
            : throw new CheckpointSignatureException($"no valid signature by {logKey.Encoded} on the checkpoint of {checkpoint}");
    }
}

public sealed class CheckpointSignatureException(string message) : FormatException(message);

/// <summary>
/// Signs a checkpoint of the ledger as it is now; its origin is the signer key's name. It refuses to sign unless the
/// ledger's first entries still hash to the root of the last checkpoint signed with the key (and of the one given),
/// since a log must never sign two checkpoints that no consistency proof can join.
/// </summary>
public static class SignCheckpoint
{
    public sealed record Command(Checkpoint? MustExtend = null) : IRequest<SignedCheckpoint>, IReadsSequencedLog;

    public sealed class Handler(LedgerRows rows, CheckpointSigner signer) : IRequestHandler<Command, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken)
        {
            var key = signer.Key;
            var leaves = await LogTree.LeavesAsync(rows, cancellationToken);
            foreach (var earlier in new[] { command.MustExtend, signer.LastSigned() }.OfType<Checkpoint>())
            {
                if (!Extends(leaves, earlier))
                {
                    throw new ClaimRuleException("log-inconsistent",
                        $"the ledger no longer extends the checkpoint signed at size {earlier.Size:N0} (root {earlier.RootHex}): " +
                        "it is shorter, or its first entries hash to another root. No checkpoint is signed; run claimledger audit verify --digest to find the break. " +
                        "(A ledger started afresh on purpose is a new log: give it a new key with claimledger audit keygen.)");
                }
            }

            var checkpoint = new Checkpoint(key.Name, leaves.Count, MerkleTree.Root(leaves));
            var signed = new SignedCheckpoint(checkpoint, SignedNote.Sign(checkpoint.Text, key));
            signer.Remember(signed);
            return signed;
        }

        private static bool Extends(List<byte[]> leaves, Checkpoint earlier) =>
            earlier.Size <= leaves.Count && MerkleTree.Root(leaves[..(int)earlier.Size]).AsSpan().SequenceEqual(earlier.RootHash);
    }
}
