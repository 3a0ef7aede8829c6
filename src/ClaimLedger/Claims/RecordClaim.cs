using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>A fact-checker records a factual claim as it appears in a registered document.</summary>
public static class RecordClaim
{
    /// <param name="ClaimId">A readable slug; derived from the statement when not given.</param>
    /// <param name="Value">The structured fields of the claim's kind, by name (amount, unit, period, …).</param>
    public sealed record Command(
        string? ClaimId, ClaimKind Kind, string Statement, IReadOnlyDictionary<string, string?> Value,
        SourceRef Appearance, WriteContext Context) : IClaimWrite;

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

    public static ClaimRecorded Decide(string claimId, string statement, ClaimValue value, ClaimSource appearance, string actor, DateTimeOffset at) =>
        new(claimId, statement.Trim(), value, appearance, actor, at);

    public sealed class Handler(SourceReferences sources, ClaimWriter writer) : IRequestHandler<Command, WriteResult>
    {
        public async Task<WriteResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var errors = new List<FieldError>();
            var value = ClaimValues.Parse(command.Kind, command.Value, errors) ?? throw new RequestValidationException(errors);
            var appearance = await sources.ResolveOneAsync("appearance", command.Appearance, cancellationToken);
            var claimId = command.ClaimId ?? Slug.From(command.Statement);
            return await writer.StartAsync(claimId, command.Context,
                at => Decide(claimId, command.Statement, value, appearance, command.Context.Actor, at), cancellationToken);
        }
    }
}
