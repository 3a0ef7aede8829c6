using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>
/// A witness hands in its cosignature: the checkpoint it cosigned, as a signed note carrying its cosignature line(s).
/// Only cosignatures that verify under a witness key the server is configured with are kept, in the database with the
/// checkpoint they cosign, so every server serves them; others are refused.
/// </summary>
public static class AddCosignatures
{
    public sealed record Command(string CosignedNote) : IRequest<SignedCheckpoint>;

    public sealed class Handler(PublishedCheckpoints published, TransparencyOptions options) : IRequestHandler<Command, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken)
        {
            SignedNote note;
            Checkpoint checkpoint;
            try
            {
                note = SignedNote.Parse(command.CosignedNote);
                checkpoint = Checkpoint.Parse(note.Text);
            }
            catch (FormatException e)
            {
                throw new RequestValidationException([new("body", $"a checkpoint as a C2SP signed note carrying the witness's cosignature line; {e.Message}")]);
            }

            var accepted = options.ParsedWitnessKeys().Select(witness => Cosignature.Verified(note, witness)).OfType<(NoteSignature, DateTimeOffset)>().ToList();
            if (accepted.Count == 0)
            {
                throw new ClaimRuleException("unknown-witness",
                    "no cosignature on this note verifies under a witness key this server is configured with (serve --witness-key); nothing was stored.");
            }

            return await published.AddCosignaturesAsync(checkpoint, accepted, cancellationToken)
                ?? throw new NotFoundException("checkpoint", "with this text among the published ones; fetch the latest and cosign that");
        }
    }
}
