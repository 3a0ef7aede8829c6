using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// What the evidence establishes for one field of a claim (the real date, figure, speaker or occasion), shown beside
/// what was claimed. The claim as published never changes; a later finding on the same field supersedes the earlier.
/// </summary>
public static class RecordFinding
{
    public sealed record Command(
        string ClaimId, string Field, string? Established, string Note, IReadOnlyList<SourceRef> Evidence,
        long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => ClaimDecisions.Cite("evidence", Evidence);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Field).NotEmpty().WithMessage("statement or a field of the claim's value (amount, unit, date, speaker, …)");
            RuleFor(c => c.Established).OptionalText(RequestRules.MaxStatementLength);
            RuleFor(c => c.Note).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 1);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static FindingRecorded Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var claimed = claim.Claimed(command.Field);
        var established = claim.Normalized(command.Field, command.Established, "established");
        var evidence = sources.Checked(command.Evidence);
        claim.EnsureIndependentEvidence(evidence, "finding-needs-independent-evidence", "A finding");
        return new FindingRecorded(claim.Id, command.Field, claimed, established, command.Note, evidence, command.Context.Actor, at);
    }
}
