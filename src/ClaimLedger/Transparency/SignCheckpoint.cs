using ClaimLedger.Common;
using ClaimLedger.Ledger;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>The log's signer key, read from its file on first use and kept for the life of the process.</summary>
public sealed class CheckpointSigner(TransparencyOptions options) : IDisposable
{
    private readonly Lazy<NoteSignerKey> _key = new(() => SigningKeyFile.Load(options.SigningKeyPath));

    public NoteSignerKey Key => _key.Value;

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
/// Signs a checkpoint of the ledger as it is now; its origin is the signer key's name. Given the checkpoint it must
/// extend, it refuses to sign unless the ledger's first entries still hash to that checkpoint's root, since a log must
/// never sign two checkpoints that no consistency proof can join.
/// </summary>
public static class SignCheckpoint
{
    public sealed record Command(Checkpoint? MustExtend = null) : IRequest<SignedCheckpoint>;

    public sealed class Handler(LedgerRows rows, CheckpointSigner signer) : IRequestHandler<Command, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken)
        {
            var key = signer.Key;
            var leaves = await LogTree.LeavesAsync(rows, cancellationToken);
            if (command.MustExtend is { } earlier && !Extends(leaves, earlier))
            {
                throw new ClaimRuleException("log-inconsistent",
                    $"the ledger no longer extends the checkpoint it signed at size {earlier.Size:N0} (root {earlier.RootHex}): " +
                    "it is shorter, or its first entries hash to another root. No checkpoint is signed; run claimledger audit verify --digest to find the break.");
            }

            var checkpoint = new Checkpoint(key.Name, leaves.Count, MerkleTree.Root(leaves));
            return new SignedCheckpoint(checkpoint, SignedNote.Sign(checkpoint.Text, key));
        }

        private static bool Extends(List<byte[]> leaves, Checkpoint earlier) =>
            earlier.Size <= leaves.Count && MerkleTree.Root(leaves[..(int)earlier.Size]).AsSpan().SequenceEqual(earlier.RootHash);
    }
}
