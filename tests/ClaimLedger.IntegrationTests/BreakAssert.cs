using ClaimLedger.Ledger;

namespace ClaimLedger.IntegrationTests;

internal static class BreakAssert
{
    /// <summary>Verification found exactly one break: of this kind, naming this stream, and saying <paramref name="detail"/> if given.</summary>
    public static void Only(VerifyLedger.Report report, string stream, string kind, string? detail = null)
    {
        var found = Assert.Single(report.Breaks);
        Assert.Equal((stream, kind), (found.ClaimId, found.Kind));
        if (detail is not null)
        {
            Assert.Contains(detail, found.Detail, StringComparison.Ordinal);
        }
    }
}
