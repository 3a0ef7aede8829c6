using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>A claim step by step: each event of its history with the state it left the claim in.</summary>
public static class ClaimReplay
{
    public sealed record Query(string ClaimId) : IRequest<IReadOnlyList<Step>>;

    public sealed record Step(ClaimHistory.Entry Event, Claim State);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(IMediator mediator) : IRequestHandler<Query, IReadOnlyList<Step>>
    {
        public async Task<IReadOnlyList<Step>> Handle(Query query, CancellationToken cancellationToken)
        {
            var history = await mediator.Send(new ClaimHistory.Query(query.ClaimId), cancellationToken);
            return Replay(history).ToList();
        }
    }

    /// <summary>Folds the history with the same <see cref="ClaimEvolution.Evolve"/> the read model uses.</summary>
    public static IEnumerable<Step> Replay(IEnumerable<ClaimHistory.Entry> history)
    {
        Claim? state = null;
        foreach (var entry in history)
        {
            state = ClaimEvolution.Evolve(state, entry.Data) ?? throw new InvalidOperationException($"Event {entry.Version} of the claim does not apply.");
            yield return new Step(entry, state);
        }
    }
}
