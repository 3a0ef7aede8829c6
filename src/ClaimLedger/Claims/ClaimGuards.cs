using ClaimLedger.Common;

namespace ClaimLedger.Claims;

public static class ClaimFieldNames
{
    /// <summary>The claim's statement, named beside its value's fields wherever a field of the claim is named.</summary>
    public const string Statement = "statement";
}

/// <summary>Rules every write to an existing claim obeys.</summary>
public static class ClaimGuards
{
    public static Claim EnsureOpen(this Claim claim) =>
        claim.IsRetracted
            ? throw new ClaimRuleException("claim-retracted", $"Claim '{claim.Id}' was retracted ({claim.RetractionReason}); it accepts no further changes. Its history stays readable.")
            : claim;

    /// <summary>
    /// A field of the claim set to a new value, normalized as the claim's kind stores it (an amount's scale words
    /// resolved, a date's precision derived), or a refusal that names the request field it came from.
    /// </summary>
    /// <param name="path">The request's name for the value, for the error.</param>
    public static string? Normalized(this Claim claim, string field, string? value, string path)
    {
        if (field == ClaimFieldNames.Statement)
        {
            var statement = value?.Trim();
            return string.IsNullOrEmpty(statement)
                ? throw new RequestValidationException([new(path, "a statement; it cannot be empty")])
                : statement;
        }

        var errors = new List<FieldError>();
        var changed = ClaimValues.With(claim.Value, field, value, errors, path) ?? throw new RequestValidationException(errors);
        return changed.Field(field);
    }

    /// <summary>
    /// True when a span can speak for the claim from outside it: another document than the one the claim appeared in,
    /// from another publisher than the one that published it. A second sentence of the same article, or the same
    /// publisher's other story, only repeats the claim.
    /// </summary>
    public static bool IsIndependentOf(this ClaimSource source, Claim claim) =>
        source.DocumentId != claim.Appearance.DocumentId && source.Publisher != claim.Appearance.Publisher;

    /// <summary>Refuses evidence none of which is independent of the claim, naming the rule and saying what would do.</summary>
    public static void EnsureIndependentEvidence(this Claim claim, IReadOnlyList<ClaimSource> evidence, string rule, string what)
    {
        if (!evidence.Any(e => e.IsIndependentOf(claim)))
        {
            throw new ClaimRuleException(rule,
                $"{what} on claim '{claim.Id}' needs evidence from a document other than the claim's own appearance and from a publisher " +
                $"other than {claim.Appearance.Publisher}. Cite such a span, or a cited source (a URL with the fact it supports).");
        }
    }
}
