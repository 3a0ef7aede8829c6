using ClaimLedger.Common;

namespace ClaimLedger.Claims;

/// <summary>Rules every write to an existing claim obeys.</summary>
public static class ClaimGuards
{
    public static Claim EnsureOpen(this Claim claim) =>
        claim.IsRetracted
            ? throw new ClaimRuleException("claim-retracted", $"Claim '{claim.Id}' was retracted ({claim.RetractionReason}); it accepts no further changes. Its history stays readable.")
            : claim;
}
