using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Transparency;

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
