using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>A fact-checker challenges the claim, saying why and citing what they have so far.</summary>
public static class DisputeClaim
{
    public sealed record Command(
        string ClaimId, string Reason, IReadOnlyList<SourceRef> Evidence, long? ExpectedVersion, WriteContext Context) : IClaimWrite;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.Evidence).ValidEvidence(minimum: 0);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimDisputed Decide(Claim claim, string reason, IReadOnlyList<ClaimSource> evidence, string actor, DateTimeOffset at)
    {
        claim.EnsureOpen();
        return new ClaimDisputed(claim.Id, reason, evidence, actor, at);
    }

    public sealed class Handler(SourceReferences sources, ClaimWriter writer) : IRequestHandler<Command, WriteResult>
    {
        public async Task<WriteResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var evidence = await sources.ResolveAsync("evidence", command.Evidence, cancellationToken);
            return await writer.AppendAsync(command.ClaimId, command.ExpectedVersion, command.Context,
                (claim, at) => [Decide(claim, command.Reason, evidence, command.Context.Actor, at)], cancellationToken);
        }
    }
}
