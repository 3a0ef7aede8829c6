using System.Buffers;
using FluentValidation;

namespace ClaimLedger.Common;

/// <summary>The field rules that many requests share, each with the message a user sees.</summary>
public static class RequestRules
{
    public const int MaxStatementLength = 1_000;
    public const int MaxRationaleLength = 10_000;
    public const int MaxReasonLength = 2_000;
    public const int MaxActorLength = 200;
    public const int MaxExcerptLength = 10_000;
    public const int MaxEvidence = 50;

    public static IRuleBuilderOptions<T, string?> MustBeSlug<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Slug.IsValid).WithMessage(Slug.Expected);

    public const string HiddenCharacters = "text without control characters or bidirectional overrides, which can hide or reorder what a reader sees";

    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotEmpty().WithMessage("required")
            .MaximumLength(maxLength).WithMessage($"at most {maxLength:N0} characters")
            .Must(t => !HasHiddenCharacters(t)).WithMessage(HiddenCharacters);

    public static IRuleBuilderOptions<T, string?> OptionalText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength).WithMessage($"at most {maxLength:N0} characters")
            .Must(t => !HasHiddenCharacters(t)).WithMessage(HiddenCharacters);

    /// <summary>C0 controls other than tab and line breaks, DEL, the C1 controls (U+0080–U+009F, such as NEL and CSI, which terminals obey), and the Unicode bidirectional embedding, override and isolate marks.</summary>
    public static bool HasHiddenCharacters(string? text) => text is not null && text.AsSpan().ContainsAny(HiddenCharacterSet);

    private static readonly SearchValues<char> HiddenCharacterSet = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not '\t' and not '\n' and not '\r').Select(c => (char)c), '\u007F', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c),
         '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);

    public const int MaxSourcesTried = 30;

    /// <summary>What a checker searched without settling the facts: each a line of text, as many as were tried.</summary>
    public static void ValidSourcesTried<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(s => s is null || s.Count <= MaxSourcesTried).WithMessage($"at most {MaxSourcesTried} sources tried")
            .ForEach(s => s.RequiredText(MaxReasonLength));

    public static IRuleBuilderOptions<T, long?> ValidExpectedVersion<T>(this IRuleBuilder<T, long?> rule) =>
        rule.GreaterThanOrEqualTo(1).WithMessage("a claim version, 1 or more");

    public static void ValidWriteContext<T>(this IRuleBuilder<T, WriteContext> rule) =>
        rule.ChildRules(context =>
        {
            context.RuleFor(c => c.Actor).RequiredText(MaxActorLength).OverridePropertyName("actor");
            context.RuleFor(c => c.CorrelationId).OptionalText(100).OverridePropertyName("correlationId");
        }).OverridePropertyName("context");
}
