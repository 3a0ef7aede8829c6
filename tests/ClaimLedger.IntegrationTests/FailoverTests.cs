using ClaimLedger.Benchmarks;
using ClaimLedger.Infrastructure;
using Xunit.Abstractions;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Issue 17's failover test on a real pg_auto_failover cluster (monitor, primary, synchronous secondary on loopback):
/// the primary's postmaster is killed under eight writing HTTP clients. Needs pg_auto_failover
/// (apt-get install postgresql-15-auto-failover pg-auto-failover-cli, which .ci/run does); takes about two minutes.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FailoverCluster _cluster = new(Path.Combine(Path.GetTempPath(), $"claimledger-ha-{Guid.NewGuid():N}"[..30]));

    public async Task InitializeAsync()
    {
        var layout = await _cluster.UpAsync(output.WriteLine);
        await FailoverCluster.CreateRolesAsync(layout);
        await LedgerRoles.MigrateAsync(layout.OwnerConnectionString, LedgerStore.DefaultSchema, LedgerRoles.Application);
    }

    public Task DisposeAsync()
    {
        _cluster.Down();
        Directory.Delete(_cluster.Home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task when_the_primary_is_killed_mid_burst_no_acknowledged_write_is_lost_none_is_doubled_and_the_old_primary_rejoins()
    {
        var run = await FailoverScenario.RunAsync(_cluster, Path.Combine(AppContext.BaseDirectory, "ClaimLedger.Cli.dll"),
            burstBeforeKill: TimeSpan.FromSeconds(5), burstAfterRecovery: TimeSpan.FromSeconds(2), output.WriteLine);
        output.WriteLine(run.ToString());
        foreach (var problem in run.Problems)
        {
            output.WriteLine(problem);
        }

        Assert.True(run.Acknowledged > 50, $"only {run.Acknowledged} writes were acknowledged");
        Assert.Equal(0, run.Lost);
        Assert.Equal(0, run.Duplicated);
        Assert.Empty(run.Problems);
        Assert.True(run.VerifiedIntact, "audit verify with the digest taken before the crash should pass on the new primary");
        Assert.True(run.DigestIsPrefix, "the digest taken before the crash should be the root of the first entries after it");
        Assert.NotEqual(run.OldPrimary, run.NewPrimary);
        Assert.True(run.OldPrimaryRejoined, "the old primary should rejoin as the secondary with the same ledger");
    }
}
