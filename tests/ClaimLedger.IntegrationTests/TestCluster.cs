using ClaimLedger.Infrastructure;

// The tests start PostgreSQL with the Unix tools (pg_ctl, runuser); they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

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

    private const string Prefix = "claimledger-tests-";

    private static async Task<LocalCluster> StartAsync()
    {
        RemoveClustersOfEndedRuns();
        var home = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var postgres = Create(home);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(postgres);
        return await postgres.EnsureRunningAsync();
    }

    /// <summary>The test host may end before its exit handlers finish; the next run tidies up after it.</summary>
    private static void RemoveClustersOfEndedRuns()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), $"{Prefix}*"))
        {
            var name = Path.GetFileName(directory)[Prefix.Length..];
            if (int.TryParse(name[..name.IndexOf('-', StringComparison.Ordinal)], out var pid) && !IsRunning(pid))
            {
                Remove(Create(directory));
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Remove(LocalPostgres postgres)
    {
        try
        {
            postgres.Stop(immediate: true);
            Directory.Delete(postgres.Home, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LocalPostgresException)
        {
            Console.Error.WriteLine($"Could not remove the test cluster in {postgres.Home}: {e.Message}");
        }
    }
}
