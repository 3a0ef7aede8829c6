using ClaimLedger.Infrastructure;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

[Trait("Category", "Slow")]
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

    private static async Task WithClusterAsync(Func<LocalPostgres, LocalCluster, Task> test)
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-embedded-{Guid.NewGuid():N}"[..36]);
        var postgres = TestCluster.Create(home);
        try
        {
            await test(postgres, await postgres.EnsureRunningAsync());
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task AssertConnectsAsync(LocalCluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
    }

    [Fact]
    public Task a_stale_postmaster_pid_left_by_a_crash_does_not_stop_the_next_start() => WithClusterAsync(async (postgres, cluster) =>
    {
        postgres.Stop(immediate: true);
        var pidFile = Path.Combine(cluster.DataDirectory, "postmaster.pid");
        await File.WriteAllTextAsync(pidFile, $"999999\n{cluster.DataDirectory}\n0\n{cluster.Port}\n\n127.0.0.1\n0 0\nready\n");
        if (Environment.UserName == "root")
        {
            System.Diagnostics.Process.Start("chown", ["postgres:", pidFile])!.WaitForExit();
        }

        var restarted = await postgres.EnsureRunningAsync();

        await AssertConnectsAsync(restarted);
    });

    [Fact]
    public Task when_its_port_was_taken_meanwhile_the_cluster_starts_on_another() => WithClusterAsync(async (postgres, cluster) =>
    {
        postgres.Stop();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, cluster.Port);
        squatter.Start();

        var restarted = await postgres.EnsureRunningAsync();

        Assert.NotEqual(cluster.Port, restarted.Port);
        await AssertConnectsAsync(restarted);
    });

    [Fact]
    public Task a_data_directory_the_server_account_cannot_use_gives_a_clear_message() => WithClusterAsync(async (postgres, cluster) =>
    {
        postgres.Stop();
        File.SetUnixFileMode(cluster.DataDirectory, (UnixFileMode)0b111_111_111);

        var failure = await Assert.ThrowsAsync<LocalPostgresException>(() => postgres.EnsureRunningAsync());

        Assert.Contains("Could not start the server", failure.Message);
        Assert.Contains("permissions", failure.Message);
        File.SetUnixFileMode(cluster.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    });

    [Fact]
    public Task a_data_directory_owned_by_someone_else_gives_a_clear_message() => WithClusterAsync(async (postgres, cluster) =>
    {
        postgres.Stop();
        System.Diagnostics.Process.Start("chown", ["-R", "nobody:", cluster.DataDirectory])!.WaitForExit();

        var failure = await Assert.ThrowsAsync<LocalPostgresException>(() => postgres.EnsureRunningAsync());

        Assert.Contains("Could not start the server", failure.Message);
        Assert.Contains(cluster.DataDirectory, failure.Message);
        System.Diagnostics.Process.Start("chown", ["-R", "postgres:", cluster.DataDirectory])!.WaitForExit();
    });

    [Fact]
    public void without_server_binaries_the_error_says_what_to_install_and_how_to_use_another_server()
    {
        var empty = Directory.CreateTempSubdirectory("claimledger-no-postgres-").FullName;
        try
        {
            var missing = Assert.Throws<LocalPostgresException>(() => LocalPostgres.FindBinDirectory(searchPath: empty, installRoot: empty));

            Assert.Contains("apt-get install postgresql", missing.Message);
            Assert.Contains("CLAIMLEDGER_CONNECTION", missing.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void server_binaries_on_the_search_path_are_found_before_the_installed_ones()
    {
        var onPath = Directory.CreateTempSubdirectory("claimledger-path-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(onPath, "pg_ctl"), "");
            File.WriteAllText(Path.Combine(onPath, "initdb"), "");

            Assert.Equal(onPath, LocalPostgres.FindBinDirectory(searchPath: $"/nonexistent{Path.PathSeparator}{onPath}"));
            Assert.NotEqual(onPath, LocalPostgres.FindBinDirectory(searchPath: $"/nonexistent{Path.PathSeparator}{Path.GetTempPath()}"));
        }
        finally
        {
            Directory.Delete(onPath, recursive: true);
        }
    }
}
