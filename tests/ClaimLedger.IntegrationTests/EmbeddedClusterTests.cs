using ClaimLedger.Infrastructure;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

public class EmbeddedClusterTests
{
    [Fact]
    public async Task the_embedded_cluster_is_created_once_reused_while_running_and_restarted_after_a_stop()
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-embedded-{Guid.NewGuid():N}"[..36]);
        var postgres = TestCluster.Create(home);
        try
        {
            var first = await postgres.EnsureRunningAsync();
            var reused = await TestCluster.Create(home).EnsureRunningAsync();
            Assert.Equal(first.Port, reused.Port);
            Assert.Equal(first.Password, reused.Password);
            Assert.True(postgres.Status().Running);

            Assert.True(postgres.Stop());
            Assert.False(postgres.Status().Running);
            Assert.False(postgres.Stop());

            var restarted = await postgres.EnsureRunningAsync();
            await using var connection = new NpgsqlConnection(restarted.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(LocalPostgres.DatabaseName, connection.Database);
        }
        finally
        {
            postgres.Stop();
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void status_of_a_cluster_never_created_says_so_without_starting_anything()
    {
        var status = new LocalPostgres(Path.Combine(Path.GetTempPath(), $"claimledger-none-{Guid.NewGuid():N}")).Status();

        Assert.False(status.Initialized);
        Assert.False(status.Running);
    }
}
