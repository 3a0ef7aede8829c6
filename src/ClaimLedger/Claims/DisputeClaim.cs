using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>A fact-checker challenges the claim, saying why and citing what they have so far.</summary>
public static class DisputeClaim
{
    public sealed record Command(
        string ClaimId, string Reason, IReadOnlyList<SourceRef> Evidence, long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => ClaimDecisions.Cite("evidence", Evidence);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 0);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimDisputed Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        return new ClaimDisputed(claim.Id, command.Reason, sources.Checked(command.Evidence), command.Context.Actor, at);
    }
}
