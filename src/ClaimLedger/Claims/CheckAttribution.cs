using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// Whether a quote was said as reported (accurate, a paraphrase, misquoted, misattributed, or not found), apart from
/// whether what it says is true. A quote's verdict waits for this check.
/// </summary>
public static class CheckAttribution
{
    /// <param name="SourcesTried">What was searched; required when the quote was not found.</param>
    public sealed record Command(
        string ClaimId, Attribution Result, string Note, IReadOnlyList<SourceRef> Evidence, IReadOnlyList<string>? SourcesTried,
        long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => ClaimDecisions.Cite("evidence", Evidence);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Result).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<Attribution>())}");
            RuleFor(c => c.Note).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 0);
            RuleFor(c => c.SourcesTried).ValidSourcesTried();
            RuleFor(c => c.SourcesTried).NotEmpty().When(c => c.Result == Attribution.NotFound)
                .WithMessage("what was searched for the quote (transcripts, archives, news searches): a quote not found needs the sources tried");
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static AttributionChecked Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        if (claim.Value is not QuoteValue)
        {
            throw new ClaimRuleException("attribution-only-for-quotes",
                $"Claim '{claim.Id}' is a {claim.Kind} claim; only a quote has an attribution to check. Record a finding instead.");
        }

        var evidence = sources.Checked(command.Evidence);
        if (command.Result != Attribution.NotFound)
        {
            claim.EnsureIndependentEvidence(evidence, "attribution-needs-independent-evidence", "An attribution check");
        }

        return new AttributionChecked(claim.Id, command.Result, command.Note, evidence, command.SourcesTried ?? [], command.Context.Actor, at);
    }
}
