using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>The claim's current state, read from the inline read model.</summary>
public static class GetClaim
{
    public sealed record Query(string ClaimId) : IRequest<Claim>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, Claim>
    {
        public async Task<Claim> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<Claim>(query.ClaimId, cancellationToken)
                ?? throw new NotFoundException("claim", query.ClaimId);
        }
    }
}
