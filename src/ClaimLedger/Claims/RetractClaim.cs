using ClaimLedger.Common;
using FluentValidation;

namespace ClaimLedger.Claims;

/// <summary>
/// The claim is withdrawn from the ledger's current view (recorded in error, a duplicate, not a factual claim).
/// It is an event like any other, never an archived or deleted stream, so its history stays readable.
/// </summary>
public static class RetractClaim
{
    public sealed record Command(string ClaimId, string Reason, long? ExpectedVersion, WriteContext Context) : IClaimCommand
    {
        IReadOnlyList<Citation> IClaimCommand.Citations => [];
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static ClaimRetracted Decide(Claim claim, Command command, ICheckedSources sources, DateTimeOffset at)
    {
        claim.EnsureOpen();
        return new ClaimRetracted(claim.Id, command.Reason, command.Context.Actor, at);
    }
}
