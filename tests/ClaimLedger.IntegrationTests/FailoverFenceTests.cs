using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The fence that holds requests back during a failover lowers only once the primary can commit durably. A primary
/// restarted in place after a crash, whose synchronous standby has gone, answers reads at once and shows commits the
/// standby never confirmed; the fence must see that its commits would hang, or an idempotent retry is answered from a
/// write that the promotion then discards (the one acknowledged write lost in a failover run).
/// </summary>
[Trait("Category", "Slow")]
public sealed class FailoverFenceTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"claimledger-fence-{Guid.NewGuid():N}"[..36]);
    private LocalPostgres _postgres = null!;
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // Durable defaults: synchronous_commit on, as on a real primary.
        _postgres = new LocalPostgres(_home);
        _cluster = await _postgres.EnsureRunningAsync();
    }

    public Task DisposeAsync()
    {
        _postgres.Stop(immediate: true);
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task a_primary_whose_synchronous_standby_is_gone_is_not_settled_and_one_that_can_commit_is()
    {
        Assert.True(await FailoverFence.SettledAsync(_cluster.ApplicationConnectionString, CancellationToken.None),
            "a primary with no synchronous standby configured commits at once");

        await RequireStandbyAsync("absent_standby");
        Assert.False(await FailoverFence.SettledAsync(_cluster.ApplicationConnectionString, CancellationToken.None),
            "a commit on this primary waits for a standby that is not there, so the fence must stay up");

        await RequireStandbyAsync(null);
        Assert.True(await FailoverFence.SettledAsync(_cluster.ApplicationConnectionString, CancellationToken.None));
    }

    [Fact]
    public async Task an_idempotent_retry_is_not_answered_from_a_write_the_standby_may_not_hold()
    {
        // Two hosts, as in a cluster; the second is down, so this node is the primary the clients follow.
        var multiHost = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString)
        {
            Host = $"127.0.0.1:{_cluster.Port},127.0.0.1:{ClaimLedger.Benchmarks.HttpScenario.FreePort()}", TargetSessionAttributes = "primary",
        }.ConnectionString;
        await using var ledger = await OwnLedger.StartAsync(new ClaimLedgerOptions(multiHost, "fence", AutoCreateSchema: true));

        var context = new WriteContext("Mei Lin");
        await ledger.SendAsync(new RegisterDocument.Command("cnn-2023", "CNN", "CNN text", new DateOnly(2023, 2, 22), null, "en", DocumentKind.Article, LedgerFixture.CnnText, context));
        await ledger.SendAsync(new RecordClaim.Command("trade", ClaimKind.Statement, "China-Russia trade hit 1.28 trillion yuan in 2022", new Dictionary<string, string?>(),
            LedgerFixture.Cnn("trade hit 1.28 trillion yuan in 2022"), context));
        var dispute = new DisputeClaim.Command("trade", "figure looks high", [], null, context with { IdempotencyKey = "dispute-once" });
        var first = await ledger.SendAsync(dispute);

        await RequireStandbyAsync("absent_standby");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var retry = ledger.SendAsync(dispute, patience.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry);
        await RequireStandbyAsync(null);
        var replayed = await ledger.SendAsync(dispute);
        Assert.Equal((first.ClaimId, first.Version), (replayed.ClaimId, replayed.Version));
        Assert.Equal(first.Events, replayed.Events);
    }

    private async Task RequireStandbyAsync(string? name)
    {
        await using var admin = new NpgsqlConnection(_cluster.ConnectionString);
        await admin.OpenAsync();
        var change = name is null ? "alter system reset synchronous_standby_names" : $"alter system set synchronous_standby_names = '{name}'";
        await using (var alter = new NpgsqlCommand(change, admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        await using var reload = new NpgsqlCommand("select pg_reload_conf()", admin);
        await reload.ExecuteScalarAsync();
        // The reload is signalled; the backends of the next connections read it.
        await Task.Delay(500);
    }
}
