using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// The ledger's record of a claim is put right where the recorder misread the article: the statement or a field of
/// its value, read again from the article's own text. What the evidence says about the facts is a finding instead.
/// </summary>
public static class AmendRecord
{
    /// <param name="Appearance">The span of the article the amended record is read from: in the claim's appearance document, overlapping its appearance.</param>
    public sealed record Command(
        string ClaimId, string Field, string? NewValue, string Reason, SourceRef Appearance,
        long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => [new("appearance", Appearance)];
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Field).NotEmpty().WithMessage("statement or a field of the claim's value (amount, unit, date, speaker, …)");
            RuleFor(c => c.NewValue).OptionalText(RequestRules.MaxStatementLength);
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Appearance).ValidSourceRef();
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimRecordAmended Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var cited = sources[command.Appearance];
        var appearance = claim.Appearance;
        if (cited.DocumentId != appearance.DocumentId || cited.Start >= appearance.End || cited.End <= appearance.Start)
        {
            throw new ClaimRuleException("amendment-must-cite-appearance",
                $"An amendment re-reads the article: cite a span of {appearance.DocumentId} that overlaps the claim's appearance " +
                $"(characters {appearance.Start} to {appearance.End}). What other sources establish is a finding, not an amendment.");
        }

        var oldValue = claim.Claimed(command.Field);
        var newValue = claim.Normalized(command.Field, command.NewValue, "newValue");
        if (string.Equals(oldValue, newValue, StringComparison.Ordinal))
        {
            throw new ClaimRuleException("amendment-changes-nothing",
                $"The {command.Field} of claim '{claim.Id}' is already recorded as '{oldValue}'; an amendment must change the record.");
        }

        return new ClaimRecordAmended(claim.Id, command.Field, oldValue, newValue, command.Reason, cited, command.Context.Actor, at);
    }
}
