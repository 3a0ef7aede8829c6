using ClaimLedger.Common;
using FluentValidation;

namespace ClaimLedger.Documents;

/// <summary>The field rules for a cited span, shared by every request that cites one.</summary>
public static class SourceRefRules
{
    public static IRuleBuilderOptions<T, SourceRef> ValidSourceRef<T>(this IRuleBuilder<T, SourceRef> rule) =>
        rule.NotNull().WithMessage("required: a document id, a span [start, end) and its excerpt")
            .SetValidator(new SourceRefValidator());

    private sealed class SourceRefValidator : AbstractValidator<SourceRef>
    {
        public SourceRefValidator()
        {
            RuleFor(s => s.DocumentId).MustBeSlug().OverridePropertyName("document");
            RuleFor(s => s.Start).GreaterThanOrEqualTo(0).WithMessage("an offset of 0 or more");
            RuleFor(s => s.End).GreaterThan(s => s.Start).WithMessage("an offset greater than start");
            RuleFor(s => s.Excerpt).RequiredText(RequestRules.MaxExcerptLength);
        }
    }

    public static void ValidEvidence<T>(this IRuleBuilder<T, IReadOnlyList<SourceRef>> rule, int minimum) =>
        rule.NotNull().WithMessage("a list of source references")
            .Must(e => e is null || e.Count >= minimum).WithMessage($"at least {minimum} piece(s) of evidence: a document id, a span and its excerpt")
            .Must(e => e is null || e.Count <= RequestRules.MaxEvidence).WithMessage($"at most {RequestRules.MaxEvidence} pieces of evidence")
            .ForEach(e => e.ValidSourceRef());
}
