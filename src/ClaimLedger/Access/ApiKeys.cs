using System.Security.Cryptography;
using System.Text;
using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

public enum Role { Checker, Auditor, Admin }

/// <summary>
/// An API key as stored: only the SHA-256 of its secret, never the secret itself. The key a person holds is
/// <c>clk_{Id}_{secret}</c>; the id finds the row, the secret is compared by hash in constant time.
/// </summary>
public sealed record ApiKey(string Id, string Person, Role Role, string SecretSha256, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public const string Prefix = "clk";

    public bool IsActive => RevokedAt is null;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static (string Id, string Secret)? Parse(string? presented)
    {
        var parts = presented?.Split('_') ?? [];
        return parts is [Prefix, { Length: 12 } id, { Length: 43 } secret] ? (id, secret) : null;
    }
}

/// <summary>Creates a key for a person and a role. The returned secret is shown once and never stored.</summary>
public static class CreateApiKey
{
    public sealed record Command(string Person, Role Role, string CreatedBy) : IRequest<Created>;

    public sealed record Created(string Id, string Person, Role Role, string Key);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Person).RequiredText(RequestRules.MaxActorLength);
            RuleFor(c => c.Role).IsInEnum().WithMessage("checker, auditor or admin");
            RuleFor(c => c.CreatedBy).RequiredText(RequestRules.MaxActorLength);
        }
    }

    public sealed class Handler(IDocumentStore store, TimeProvider clock) : IRequestHandler<Command, Created>
    {
        public async Task<Created> Handle(Command command, CancellationToken cancellationToken)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '-');
            await using var session = store.LightweightSession();
            session.Insert(new ApiKey(id, command.Person.Trim(), command.Role, ApiKey.Hash(secret), clock.GetUtcNow(), command.CreatedBy, null));
            await session.SaveChangesAsync(cancellationToken);
            return new Created(id, command.Person.Trim(), command.Role, $"{ApiKey.Prefix}_{id}_{secret}");
        }
    }
}

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

public static class RevokeApiKey
{
    public sealed record Command(string Id) : IRequest<ApiKey>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Id).Matches("^[0-9a-f]{12}$").WithMessage("a key id: 12 lowercase hex digits (see: claimledger keys list)");
    }

    public sealed class Handler(IDocumentStore store, TimeProvider clock) : IRequestHandler<Command, ApiKey>
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
            await session.SaveChangesAsync(cancellationToken);
            return revoked;
        }
    }
}

/// <summary>Who a presented key belongs to, or null: unknown, malformed, revoked or wrong secret alike.</summary>
public static class AuthenticateApiKey
{
    public sealed record Query(string? PresentedKey) : IRequest<ApiKey?>;

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, ApiKey?>
    {
        public async Task<ApiKey?> Handle(Query query, CancellationToken cancellationToken)
        {
            if (ApiKey.Parse(query.PresentedKey) is not var (id, secret))
            {
                return null;
            }

            await using var session = store.QuerySession();
            var key = await session.LoadAsync<ApiKey>(id, cancellationToken);
            var presented = Convert.FromHexString(ApiKey.Hash(secret));
            var stored = key is null ? new byte[presented.Length] : Convert.FromHexString(key.SecretSha256);
            return CryptographicOperations.FixedTimeEquals(presented, stored) && key is { IsActive: true } ? key : null;
        }
    }
}
