namespace ClaimLedger.IntegrationTests;

/// <summary>A test that needs root (to mount a file system, say): skipped, with the reason, for anyone else.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string why)
    {
        if (Environment.UserName != "root")
        {
            Skip = $"needs root to {why}; run the tests as root (CI does) to include it";
        }
    }
}
