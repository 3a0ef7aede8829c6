using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>A fact-checker records a factual claim as it appears in a registered document.</summary>
public static class RecordClaim
{
    /// <param name="ClaimId">A readable slug; derived from the statement when not given.</param>
    /// <param name="Value">The structured fields of the claim's kind, by name (amount, unit, period, …).</param>
    public sealed record Command(
        string? ClaimId, ClaimKind Kind, string Statement, IReadOnlyDictionary<string, string?> Value,
        SourceRef Appearance, WriteContext Context) : IClaimCommand
    {
        string IClaimCommand.ClaimId => ClaimId ?? Slug.From(Statement);

        long? IClaimCommand.ExpectedVersion => null;

        IReadOnlyList<Citation> IClaimCommand.Citations => [new("appearance", Appearance)];
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug().When(c => c.ClaimId is not null);
            RuleFor(c => c.Kind).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<ClaimKind>())}");
            RuleFor(c => c.Statement).RequiredText(RequestRules.MaxStatementLength);
            RuleFor(c => c.Value).NotNull().WithMessage("the kind's fields");
            RuleFor(c => c).Custom((c, context) =>
            {
                if (c.Value is null || !Enum.IsDefined(c.Kind))
                {
                    return;
                }

                var errors = new List<FieldError>();
                ClaimValues.Parse(c.Kind, c.Value, errors);
                errors.ForEach(e => context.AddFailure(e.Field, e.Message));
            });
            RuleFor(c => c.Appearance).ValidSourceRef();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    /// <param name="existing">The claim that already has the command's id, if one does: a claim id is never reused.</param>
    public static ClaimRecorded Decide(Claim? existing, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        var claimId = ((IClaimCommand)command).ClaimId;
        if (existing is not null)
        {
            throw new ClaimRuleException("duplicate-claim-id",
                $"A claim with the id '{claimId}' already exists. Choose another id, or leave it out to derive one from the statement.");
        }

        var errors = new List<FieldError>();
        var value = ClaimValues.Parse(command.Kind, command.Value, errors) ?? throw new RequestValidationException(errors);
        return new ClaimRecorded(claimId, command.Statement.Trim(), value, sources[command.Appearance], command.Context.Actor, at);
    }
}
