using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// A verdict on the claim as published: a rating on the ledger's one scale, resting on evidence from outside the claim;
/// Unverifiable, saying what was tried; or Opinion, not rated. A quote is rated only after its attribution is checked.
/// A later verdict supersedes the earlier one; both stay in the history.
/// </summary>
public static class IssueVerdict
{
    public sealed record Command(
        string ClaimId, Rating Rating, string Rationale, IReadOnlyList<SourceRef> Evidence,
        long? ExpectedVersion, WriteContext Context, IReadOnlyList<string>? SourcesTried = null) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => ClaimDecisions.Cite("evidence", Evidence);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Rating).IsInEnum().WithMessage($"one of {Ratings.Expected}");
            RuleFor(c => c.Rationale).RequiredText(RequestRules.MaxRationaleLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 0);
            RuleFor(c => c.SourcesTried).ValidSourcesTried();
            RuleFor(c => c.SourcesTried).NotEmpty().When(c => c.Rating == Rating.Unverifiable)
                .WithMessage("what was searched without settling the facts (records, transcripts, archives): Unverifiable needs the sources tried");
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static VerdictIssued Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        if (claim.Value is QuoteValue && claim.Attribution is null)
        {
            throw new ClaimRuleException("quote-needs-attribution-check",
                $"Claim '{claim.Id}' is a quote: check first whether it was said as reported (an attribution check), then rate what it says.");
        }

        var evidence = sources.Checked(command.Evidence);
        if (Ratings.IsOnScale(command.Rating))
        {
            claim.EnsureIndependentEvidence(evidence, "verdict-needs-independent-evidence", $"A {Ratings.Label(command.Rating)} verdict");
        }

        return new VerdictIssued(
            claim.Id, command.Rating, command.Rationale, evidence, claim.Verdict?.Rating, command.Context.Actor, at,
            command.SourcesTried is { Count: > 0 } tried ? tried : null);
    }
}
