using ClaimLedger.Claims;
using ClaimLedger.Infrastructure;
using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using FluentValidation.Results;

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
    /// <summary>
    /// Built once per request type, as a typed call: building a validator compiles its rules, and validating through the
    /// untyped interface wraps every call in a new context, each of which costs more than running the rules.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, Func<object, ValidationResult>> Validators = new();

    /// <summary>The request's own validator's verdict, as "field: message" lines.</summary>
    public IEnumerable<string> Validate(string claimId, WriteContext context)
    {
        var request = Request(claimId, context);
        var validate = Validators.GetOrAdd(request.GetType(), type =>
        {
            // Every slice nests its validator beside its command (RecordClaim.Command, RecordClaim.Validator).
            var validator = Activator.CreateInstance(type.DeclaringType!.GetNestedType("Validator")!)!;
            var typed = typeof(SeedAction).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            return (Func<object, ValidationResult>)typed.Invoke(null, [validator])!;
        });
        return validate(request).Errors.Select(e => $"{char.ToLowerInvariant(e.PropertyName[0])}{e.PropertyName[1..]}: {e.ErrorMessage}");
    }

    private static Func<object, ValidationResult> Typed<T>(IValidator<T> validator) => request => validator.Validate((T)request);
}
