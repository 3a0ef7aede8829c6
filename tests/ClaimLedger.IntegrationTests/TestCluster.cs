using ClaimLedger.Infrastructure;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, started by the same code as the embedded default,
/// with durability off because nothing here must survive a crash. Removed when the test process exits.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<Task<LocalCluster>> Cluster = new(StartAsync);

    public static Task<LocalCluster> GetAsync() => Cluster.Value;

    public static LocalPostgres Create(string home) => new(home, new Dictionary<string, string>
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
        ["max_connections"] = "200",
    });

    private static async Task<LocalCluster> StartAsync()
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var postgres = Create(home);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            postgres.Stop();
            Directory.Delete(home, recursive: true);
        };
        return await postgres.EnsureRunningAsync();
    }
}
