using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// One field of the claim is corrected with evidence: the statement or a field of its value.
/// The old value stays in the history; the new one must differ from it once normalized.
/// </summary>
public static class CorrectClaim
{
    public const string StatementField = "statement";

    public sealed record Command(
        string ClaimId, string Field, string? NewValue, string Reason, IReadOnlyList<SourceRef> Evidence,
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
            RuleFor(c => c.NewValue).OptionalText(RequestRules.MaxStatementLength);
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 1);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimCorrected Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var (field, newValue) = (command.Field, command.NewValue);
        string? oldValue;
        string? normalized;
        if (field == StatementField)
        {
            normalized = newValue?.Trim();
            if (string.IsNullOrEmpty(normalized))
            {
                throw new RequestValidationException([new("newValue", "the corrected statement; it cannot be empty")]);
            }

            oldValue = claim.Statement;
        }
        else
        {
            var errors = new List<FieldError>();
            var corrected = ClaimValues.With(claim.Value, field, newValue, errors, "newValue")
                ?? throw new RequestValidationException(errors);
            oldValue = claim.Value.Field(field);
            normalized = corrected.Field(field);
        }

        if (string.Equals(oldValue, normalized, StringComparison.Ordinal))
        {
            throw new ClaimRuleException("correction-changes-nothing",
                $"The {field} of claim '{claim.Id}' is already '{oldValue}'; a correction must change something.");
        }

        return new ClaimCorrected(claim.Id, field, oldValue, normalized, command.Reason, sources.Checked(command.Evidence), command.Context.Actor, at);
    }
}
