using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>An independent publisher confirms the claim: one that differs from every publisher already on it.</summary>
public static class CorroborateClaim
{
    public sealed record Command(
        string ClaimId, SourceRef Source, string? Reason, long? ExpectedVersion, WriteContext Context) : IClaimWrite;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Source).ValidSourceRef();
            RuleFor(c => c.Reason).OptionalText(RequestRules.MaxReasonLength);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimCorroborated Decide(Claim claim, ClaimSource source, string? reason, string actor, DateTimeOffset at)
    {
        claim.EnsureOpen();
        if (claim.Publishers.Contains(source.Publisher, StringComparer.OrdinalIgnoreCase))
        {
            throw new ClaimRuleException("corroboration-not-independent",
                $"{source.Publisher} already stands behind claim '{claim.Id}', so it cannot corroborate it; " +
                $"a corroboration needs a publisher other than {string.Join(", ", claim.Publishers)}. Attach it as a source instead.");
        }

        return new ClaimCorroborated(claim.Id, source, reason, actor, at);
    }

    public sealed class Handler(SourceReferences sources, ClaimWriter writer) : IRequestHandler<Command, WriteResult>
    {
        public async Task<WriteResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var source = await sources.ResolveOneAsync("source", command.Source, cancellationToken);
            return await writer.AppendAsync(command.ClaimId, command.ExpectedVersion, command.Context,
                (claim, at) => [Decide(claim, source, command.Reason, command.Context.Actor, at)], cancellationToken);
        }
    }
}
