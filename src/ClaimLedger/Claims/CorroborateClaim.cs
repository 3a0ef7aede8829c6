using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>An independent publisher confirms the claim: one that differs from every publisher already on it.</summary>
public static class CorroborateClaim
{
    public sealed record Command(
        string ClaimId, SourceRef Source, string? Reason, long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => [new("source", Source)];
    }

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

    public static ClaimCorroborated Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var source = sources[command.Source];
        if (claim.Publishers.Contains(source.Publisher, StringComparer.OrdinalIgnoreCase))
        {
            throw new ClaimRuleException("corroboration-not-independent",
                $"{source.Publisher} already stands behind claim '{claim.Id}', so it cannot corroborate it; " +
                $"a corroboration needs a publisher other than {string.Join(", ", claim.Publishers)}. Attach it as a source instead.");
        }

        return new ClaimCorroborated(claim.Id, source, command.Reason, command.Context.Actor, at);
    }
}
