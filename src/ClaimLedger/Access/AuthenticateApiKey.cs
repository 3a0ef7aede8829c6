using System.Security.Cryptography;
using ClaimLedger.Common;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>
/// Who a presented key belongs to, or null: unknown, malformed, revoked or wrong secret alike, and a key whose stored row
/// is not the key its ledger entries make (revived, inserted without an issue, its role, person or hash changed by SQL).
/// That check runs when a key is loaded from the database, so a cached key costs nothing more.
/// </summary>
public static class AuthenticateApiKey
{
    public sealed record Query(string? PresentedKey) : IRequest<ApiKey?>;

    public sealed class Handler(IDocumentStore store, ApiKeyCache cache, ILedgerStreams ledger) : IRequestHandler<Query, ApiKey?>
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
                if (key is not null && !await MatchesLedgerAsync(key, cancellationToken))
                {
                    key = null;
                }

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

        /// <summary>Whether the stored key is the one its ledger entries make; verification checks those entries' hashes.</summary>
        private async Task<bool> MatchesLedgerAsync(ApiKey stored, CancellationToken ct)
        {
            try
            {
                return await ledger.ReadAsync(LedgerStreamIds.ApiKey(stored.Id), ct) is { } events
                    && ApiKeyHistory.Replay(events) is { } recorded && ApiKeyHistory.Differences(recorded, stored).Count == 0;
            }
            catch (InvalidOperationException)
            {
                // Events in an order no key's history takes (a revocation first, say) make no key.
                return false;
            }
        }
    }
}
