using System.Security.Cryptography;
using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Access;

/// <summary>
/// Creates a key for a person and a role, issued as a ledger entry (<see cref="ApiKeyIssued"/>) that authentication and
/// verification hold the stored key to. The returned secret is shown once and never stored.
/// </summary>
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

    public sealed class Handler(IDocumentStore store, TimeProvider clock, ILedgerStreams ledger) : IRequestHandler<Command, Created>
    {
        public async Task<Created> Handle(Command command, CancellationToken cancellationToken)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '-');
            var context = new WriteContext(command.CreatedBy);
            var at = WriteTime.Of(context, clock.GetUtcNow());
            var key = ApiKey.Create(id, command.Person.Trim(), command.Role, secret, at, command.CreatedBy);
            await using var session = store.LightweightSession();
            session.Insert(key);
            await ledger.AppendAsync(session, LedgerStreamIds.ApiKey(id), 0, [ApiKeyHistory.Issued(key)], at, context, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            return new Created(id, command.Person.Trim(), command.Role, $"{ApiKey.Prefix}_{id}_{secret}");
        }
    }
}
