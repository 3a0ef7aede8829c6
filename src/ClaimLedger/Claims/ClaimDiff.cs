using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>What changed in a claim between two versions, field by field, with the events that changed each field.</summary>
public static class ClaimDiff
{
    public sealed record Query(string ClaimId, long From, long To) : IRequest<Diff>;

    public sealed record Diff(string ClaimId, long From, long To, IReadOnlyList<FieldChange> Changes);

    public sealed record FieldChange(string Field, string? Before, string? After, IReadOnlyList<Cause> CausedBy);

    public sealed record Cause(long Version, string Event, DateTimeOffset At, string Actor, string? Reason);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.ClaimId).MustBeSlug();
            RuleFor(q => q.From).GreaterThanOrEqualTo(1).WithMessage("a claim version, 1 or more");
            RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("a version after from");
        }
    }

    public sealed class Handler(IMediator mediator) : IRequestHandler<Query, Diff>
    {
        public async Task<Diff> Handle(Query query, CancellationToken cancellationToken)
        {
            var steps = await mediator.Send(new ClaimReplay.Query(query.ClaimId), cancellationToken);
            if (query.To > steps.Count)
            {
                throw new RequestValidationException([new("to", $"at most {steps.Count}, the claim's current version; got {query.To}")]);
            }

            return Compare(query.ClaimId, steps, query.From, query.To);
        }
    }

    public static Diff Compare(string claimId, IReadOnlyList<ClaimReplay.Step> steps, long from, long to)
    {
        var before = ClaimFields.Of(steps[(int)from - 1].State);
        var after = ClaimFields.Of(steps[(int)to - 1].State);
        var causes = new Dictionary<string, List<Cause>>();
        for (var v = from + 1; v <= to; v++)
        {
            var (previous, current) = (ClaimFields.Of(steps[(int)v - 2].State), ClaimFields.Of(steps[(int)v - 1].State));
            var e = steps[(int)v - 1].Event;
            foreach (var field in current.Keys.Union(previous.Keys).Where(f => previous.GetValueOrDefault(f) != current.GetValueOrDefault(f)))
            {
                (causes.TryGetValue(field, out var list) ? list : causes[field] = []).Add(new Cause(v, e.Type, e.Timestamp, e.Actor, e.Reason));
            }
        }

        var changes = after.Keys.Union(before.Keys)
            .Where(f => before.GetValueOrDefault(f) != after.GetValueOrDefault(f))
            .Select(f => new FieldChange(f, before.GetValueOrDefault(f), after.GetValueOrDefault(f), causes.GetValueOrDefault(f) ?? []))
            .ToList();
        return new Diff(claimId, from, to, changes);
    }
}
