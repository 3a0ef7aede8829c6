using ClaimLedger.Claims;
using ClaimLedger.Infrastructure;
using FluentValidation;

namespace ClaimLedger.Seeds;

/// <summary>
/// One step of the seed scenario, as the request the CLI would send for it and as the pure decision that request
/// leads to, so the importer can check the whole scenario in memory before writing anything.
/// </summary>
/// <param name="Name">The action as the seed file names it: attach-source, corroborate, dispute, correct, verdict, retract.</param>
/// <param name="References">The spans the step cites, each with the field it came from.</param>
internal sealed record SeedAction(
    string Name,
    IReadOnlyList<(string Field, SourceRef Reference)> References,
    Func<string, WriteContext, IClaimWrite> Request,
    Func<Claim, Func<SourceRef, ClaimSource>, string, DateTimeOffset, object> Decide)
{
    /// <summary>The request's own validator's verdict, as "field: message" lines.</summary>
    public IEnumerable<string> Validate(string claimId, WriteContext context)
    {
        var request = Request(claimId, context);
        // Every slice nests its validator beside its command (RecordClaim.Command, RecordClaim.Validator).
        var validator = (IValidator)Activator.CreateInstance(request.GetType().DeclaringType!.GetNestedType("Validator")!)!;
        return validator.Validate(new ValidationContext<object>(request)).Errors.Select(e => $"{char.ToLowerInvariant(e.PropertyName[0])}{e.PropertyName[1..]}: {e.ErrorMessage}");
    }
}
