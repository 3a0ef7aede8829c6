using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>Every key, oldest first; secrets are never stored, so none can be listed.</summary>
public static class ListApiKeys
{
    public sealed record Query : IRequest<IReadOnlyList<ApiKey>>;

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<ApiKey>>
    {
        public async Task<IReadOnlyList<ApiKey>> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            return (await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken)).ToList();
        }
    }
}
