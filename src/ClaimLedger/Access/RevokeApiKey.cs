using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>Revokes a key; revoking a revoked key changes nothing.</summary>
public static class RevokeApiKey
{
    public sealed record Command(string Id) : IRequest<ApiKey>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Id).Matches("^[0-9a-f]{12}$").WithMessage("a key id: 12 lowercase hex digits (see: claimledger keys list)");
    }

    public sealed class Handler(IDocumentStore store, TimeProvider clock, ApiKeyCache cache) : IRequestHandler<Command, ApiKey>
    {
        public async Task<ApiKey> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var session = store.LightweightSession();
            var key = await session.LoadAsync<ApiKey>(command.Id, cancellationToken) ?? throw new NotFoundException("API key", command.Id);
            if (!key.IsActive)
            {
                return key;
            }

            var revoked = key with { RevokedAt = clock.GetUtcNow() };
            session.Store(revoked);
            // Delivered when the revocation commits, to every server caching keys of this ledger.
            session.QueueSqlCommand("select pg_notify(?, ?)", cache.Channel, revoked.Id);
            await session.SaveChangesAsync(cancellationToken);
            cache.Changed(revoked.Id);
            return revoked;
        }
    }
}
