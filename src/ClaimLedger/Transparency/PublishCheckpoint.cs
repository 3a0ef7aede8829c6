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
