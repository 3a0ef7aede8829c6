using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>
/// Shows how the ledger would read a claim's fields before they are recorded ("1.28 trillion" as 1280000000000, "2018-06"
/// as a month), through the same <see cref="ClaimValues.Parse"/> that recording uses; problems are answered, not thrown.
/// </summary>
public static class ParseClaimValue
{
    public sealed record Query(ClaimKind Kind, IReadOnlyDictionary<string, string?> Value) : IRequest<Result>;

    /// <param name="Value">The normalized fields, or null when <paramref name="Problems"/> names what is wrong.</param>
    public sealed record Result(ClaimKind Kind, IReadOnlyDictionary<string, string?>? Value, string? Description, IReadOnlyList<FieldError> Problems);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Kind).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<ClaimKind>())}");
            RuleFor(q => q.Value).NotNull().WithMessage("the kind's fields");
        }
    }

    public sealed class Handler : IRequestHandler<Query, Result>
    {
        public Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var problems = new List<FieldError>();
            var value = ClaimValues.Parse(query.Kind, query.Value, problems);
            return Task.FromResult(new Result(query.Kind, value?.Fields().ToDictionary(f => f.Key, f => f.Value), value?.Describe(), problems));
        }
    }
}
