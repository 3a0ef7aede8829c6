using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>
/// What the server publishes: its latest checkpoint with the witnesses' cosignatures gathered for it, and the few
/// before it, so a witness that cosigned a checkpoint just replaced can still hand its cosignature in. Kept in memory
/// (the last signed checkpoint itself is kept on disk by <see cref="CheckpointSigner"/>): after a restart the server
/// serves its new checkpoint without cosignatures until the witnesses' next run.
/// </summary>
public sealed class CheckpointPublication
{
    private const int Kept = 16;
    private readonly Lock _gate = new();
    private readonly List<SignedCheckpoint> _recent = [];

    public SignedCheckpoint? Latest
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count == 0 ? null : _recent[^1];
            }
        }
    }

    /// <summary>Publishes <paramref name="next"/> unless it is the tree already published, which keeps its cosignatures.</summary>
    public SignedCheckpoint Publish(SignedCheckpoint next)
    {
        lock (_gate)
        {
            if (_recent.Count > 0 && _recent[^1].Checkpoint.SameTreeAs(next.Checkpoint))
            {
                return _recent[^1];
            }

            _recent.Add(next);
            if (_recent.Count > Kept)
            {
                _recent.RemoveAt(0);
            }

            return next;
        }
    }

    /// <summary>Adds the cosignatures on a recent checkpoint; returns that checkpoint as now cosigned, or null if it is not recent.</summary>
    public SignedCheckpoint? AddCosignatures(string checkpointText, IReadOnlyList<NoteSignature> cosignatures)
    {
        lock (_gate)
        {
            var index = _recent.FindLastIndex(c => c.Note.Text == checkpointText);
            if (index < 0)
            {
                return null;
            }

            var updated = _recent[index] with { Note = _recent[index].Note.WithSignatures(cosignatures) };
            _recent[index] = updated;
            return updated;
        }
    }
}

/// <summary>Signs a checkpoint that extends the one published before (the server does this at every interval) and publishes it.</summary>
public static class PublishCheckpoint
{
    public sealed record Command : IRequest<SignedCheckpoint>;

    public sealed class Handler(IMediator mediator, CheckpointPublication publication) : IRequestHandler<Command, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken) =>
            publication.Publish(await mediator.Send(new SignCheckpoint.Command(publication.Latest?.Checkpoint), cancellationToken));
    }
}

/// <summary>The latest published checkpoint, with every cosignature gathered for it.</summary>
public static class GetCheckpoint
{
    public sealed record Query : IRequest<SignedCheckpoint>;

    public sealed class Handler(CheckpointPublication publication) : IRequestHandler<Query, SignedCheckpoint>
    {
        public Task<SignedCheckpoint> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(publication.Latest ?? throw new NotFoundException("checkpoint", "latest (none is published yet: the server has no signing key, or has not signed its first one)"));
    }
}

/// <summary>The log's public key in verifier key form, for witnesses and monitors.</summary>
public static class GetLogKey
{
    public sealed record Query : IRequest<string>;

    public sealed class Handler(CheckpointSigner signer) : IRequestHandler<Query, string>
    {
        public Task<string> Handle(Query query, CancellationToken cancellationToken) => Task.FromResult(signer.Key.Verifier.Encoded);
    }
}

/// <summary>
/// A witness hands in its cosignature: the checkpoint it cosigned, as a signed note carrying its cosignature line(s).
/// Only cosignatures that verify under a witness key the server is configured with are kept; others are refused.
/// </summary>
public static class AddCosignatures
{
    public sealed record Command(string CosignedNote) : IRequest<SignedCheckpoint>;

    public sealed class Handler(CheckpointPublication publication, TransparencyOptions options) : IRequestHandler<Command, SignedCheckpoint>
    {
        public Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken)
        {
            SignedNote note;
            try
            {
                note = SignedNote.Parse(command.CosignedNote);
            }
            catch (FormatException e)
            {
                throw new RequestValidationException([new("body", $"a checkpoint as a C2SP signed note carrying the witness's cosignature line; {e.Message}")]);
            }

            var accepted = new List<NoteSignature>();
            foreach (var witness in options.ParsedWitnessKeys())
            {
                if (Cosignature.VerifiedTime(note, witness) is not null)
                {
                    accepted.AddRange(note.Signatures.Where(s => s.IsFrom(witness)));
                }
            }

            if (accepted.Count == 0)
            {
                throw new ClaimRuleException("unknown-witness",
                    "no cosignature on this note verifies under a witness key this server is configured with (serve --witness-key); nothing was stored.");
            }

            var updated = publication.AddCosignatures(note.Text, accepted)
                ?? throw new NotFoundException("checkpoint", "with this text among the recently published ones; fetch the latest and cosign that");
            return Task.FromResult(updated);
        }
    }
}
