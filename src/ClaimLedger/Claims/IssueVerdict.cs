using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// A rating on the ledger's one scale, with a rationale and evidence. A later verdict supersedes the earlier
/// one; both stay in the history.
/// </summary>
public static class IssueVerdict
{
    public sealed record Command(
        string ClaimId, Rating Rating, string Rationale, IReadOnlyList<SourceRef> Evidence,
        long? ExpectedVersion, WriteContext Context) : IClaimCommand
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
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static VerdictIssued Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var evidence = sources.Checked(command.Evidence);
        var newEvidence = evidence.Count(e => !e.IsSameSpan(claim.Appearance));
        if (claim.EvidenceCount + newEvidence == 0)
        {
            throw new ClaimRuleException("verdict-needs-evidence",
                $"Claim '{claim.Id}' has no evidence beyond its original appearance. Attach a source or cite evidence with the verdict.");
        }

        return new VerdictIssued(claim.Id, command.Rating, command.Rationale, evidence, claim.Verdict?.Rating, command.Context.Actor, at);
    }
}
