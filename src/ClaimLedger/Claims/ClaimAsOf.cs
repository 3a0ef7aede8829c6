using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>The claim as the ledger knew it at a version or at a moment, replayed from its events.</summary>
public static class ClaimAsOf
{
    public sealed record Query(string ClaimId, long? Version = null, DateTimeOffset? At = null) : IRequest<Claim>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.ClaimId).MustBeSlug();
            RuleFor(q => q).Must(q => q.Version is null != q.At is null)
                .WithMessage("exactly one of version or at").OverridePropertyName("version");
            RuleFor(q => q.Version).GreaterThanOrEqualTo(1).WithMessage("a claim version, 1 or more");
        }
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, Claim>
    {
        public async Task<Claim> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            var state = await session.Events.FetchStreamStateAsync(query.ClaimId, cancellationToken)
                ?? throw new NotFoundException("claim", query.ClaimId);
            if (query.Version > state.Version)
            {
                throw new RequestValidationException([new("version", $"at most {state.Version}, the claim's current version; got {query.Version}")]);
            }

            var claim = await session.Events.AggregateStreamAsync<Claim>(
                query.ClaimId, version: query.Version ?? 0, timestamp: query.At, token: cancellationToken);
            return claim ?? throw new RequestValidationException(
                [new("at", $"a time at or after the claim was recorded ({state.Created:u}); got {query.At:u}")]);
        }
    }
}
