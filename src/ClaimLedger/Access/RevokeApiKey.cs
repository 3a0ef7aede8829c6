using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>
/// Revokes a key, as a ledger entry (<see cref="ApiKeyRevoked"/>): a key brought back by SQL no longer matches its entries
/// and is refused. Revoking a revoked key changes nothing.
/// </summary>
public static class RevokeApiKey
{
    /// <param name="RevokedBy">Who revoked it, as the entry point knows them.</param>
    public sealed record Command(string Id, string RevokedBy) : IRequest<ApiKey>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Id).Matches("^[0-9a-f]{12}$").WithMessage("a key id: 12 lowercase hex digits (see: claimledger keys list)");
            RuleFor(c => c.RevokedBy).RequiredText(RequestRules.MaxActorLength);
        }
    }

    public sealed class Handler(IDocumentStore store, TimeProvider clock, ApiKeyCache cache, ILedgerStreams ledger) : IRequestHandler<Command, ApiKey>
    {
        public async Task<ApiKey> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var session = store.LightweightSession();
            var key = await session.LoadAsync<ApiKey>(command.Id, cancellationToken) ?? throw new NotFoundException("API key", command.Id);
            if (!key.IsActive)
            {
                return key;
            }

            var context = new WriteContext(command.RevokedBy);
            var at = WriteTime.Of(context, clock.GetUtcNow());
            var revoked = key with { RevokedAt = at };
            session.Store(revoked);
            // A key with no issue in the ledger is refused already; its row is still marked revoked, and verification names it.
            var stream = LedgerStreamIds.ApiKey(key.Id);
            if (await session.Events.FetchStreamStateAsync(stream, cancellationToken) is { Version: > 0 } state)
            {
                await ledger.AppendAsync(session, stream, state.Version, [new ApiKeyRevoked(key.Id, at, command.RevokedBy)], at, context, cancellationToken);
            }

            // Delivered when the revocation commits, to every server caching keys of this ledger.
            session.QueueSqlCommand("select pg_notify(?, ?)", cache.Channel, revoked.Id);
            await session.SaveChangesAsync(cancellationToken);
            cache.Changed(revoked.Id);
            return revoked;
        }
    }
}
