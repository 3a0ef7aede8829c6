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
        /// <summary>Stands in for a key that does not exist, so an unknown id costs the same hashing as a known one.</summary>
        private static readonly ApiKey Unknown = ApiKey.Create("unknown", "unknown", Role.Checker, "", DateTimeOffset.UnixEpoch, "unknown");

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

            // A stored hash that is not 64 hex digits was not written by the ledger; it matches nothing.
            var presented = Convert.FromHexString((key ?? Unknown).Verifier(secret));
            var stored = key is not null && key.SecretSha256.Length == presented.Length * 2 && key.SecretSha256.All(char.IsAsciiHexDigit)
                ? Convert.FromHexString(key.SecretSha256)
                : new byte[presented.Length];
            return CryptographicOperations.FixedTimeEquals(presented, stored) && key is { IsActive: true } ? key : null;
        }
    }
}
