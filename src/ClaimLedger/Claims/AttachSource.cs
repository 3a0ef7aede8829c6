using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>A source that supports, contradicts or merely mentions the claim is put on its record.</summary>
public static class AttachSource
{
    public sealed record Command(
        string ClaimId, SourceRef Source, Stance Stance, string? Reason, long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => [new("source", Source)];
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Source).ValidSourceRef();
            RuleFor(c => c.Stance).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<Stance>())}");
            RuleFor(c => c.Reason).OptionalText(RequestRules.MaxReasonLength);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static SourceAttached Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        var source = sources[command.Source];
        if (claim.Appearance.IsSameSpan(source) || claim.Sources.Any(s => s.Source.IsSameSpan(source)))
        {
            throw new ClaimRuleException("source-already-attached", $"Claim '{claim.Id}' already cites {source.DocumentId} [{source.Start}, {source.End}).");
        }

        return new SourceAttached(claim.Id, source, command.Stance, command.Reason, command.Context.Actor, at);
    }
}
