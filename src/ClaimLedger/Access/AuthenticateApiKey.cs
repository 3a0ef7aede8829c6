using System.Security.Cryptography;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>Who a presented key belongs to, or null: unknown, malformed, revoked or wrong secret alike.</summary>
public static class AuthenticateApiKey
{
    public sealed record Query(string? PresentedKey) : IRequest<ApiKey?>;

    public sealed class Handler(IDocumentStore store, ApiKeyCache cache) : IRequestHandler<Query, ApiKey?>
    {
        public async Task<ApiKey?> Handle(Query query, CancellationToken cancellationToken)
        {
            if (ApiKey.Parse(query.PresentedKey) is not var (id, secret))
            {
                return null;
            }

            if (!cache.TryGet(id, out var key))
            {
                var changes = cache.Changes;
                await using var session = store.QuerySession();
                key = await session.LoadAsync<ApiKey>(id, cancellationToken);
                if (key is not null)
                {
                    cache.Keep(key, changes);
                }
            }

            var presented = Convert.FromHexString(ApiKey.Hash(secret));
            var stored = key is null ? new byte[presented.Length] : Convert.FromHexString(key.SecretSha256);
            return CryptographicOperations.FixedTimeEquals(presented, stored) && key is { IsActive: true } ? key : null;
        }
    }
}
