using System.Diagnostics;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>The embedded cluster on a tiny tmpfs that fills up: a clear error, nothing half written, and recovery once space is freed.</summary>
[Trait("Category", "Slow")]
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), $"claimledger-disk-{Guid.NewGuid():N}"[..32]);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        Run("mount", "-t", "tmpfs", "-o", "size=72m", "tmpfs", _mount);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            TestCluster.Create(Path.Combine(_mount, "home")).Stop(immediate: true);
        }
        finally
        {
            Run("umount", "-l", _mount);
            Directory.Delete(_mount, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static void Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()} (the full-disk test mounts a tmpfs, which needs root)");
    }

    [RootFact("mount a small tmpfs that fills up")]
    public async Task a_full_disk_refuses_writes_clearly_loses_nothing_written_before_and_recovers_when_space_is_freed()
    {
        var postgres = TestCluster.Create(Path.Combine(_mount, "home"));
        var cluster = await postgres.EnsureRunningAsync();
        var options = new ClaimLedgerOptions(cluster.ConnectionString, "disk", AutoCreateSchema: true);
        await using var ledger = await OwnLedger.StartAsync(options);

        var written = new List<string>();
        Exception? failure = null;
        for (var i = 0; i < 200 && failure is null; i++)
        {
            var text = string.Create(1_000_000, i, (span, seed) => new Random(seed).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(span)));
            text = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text))[..1_000_000];
            try
            {
                await ledger.SendAsync(new RegisterDocument.Command($"big-{i}", "Filler", "t", null, null, "en", DocumentKind.Evidence, text, new WriteContext("tests")));
                written.Add($"big-{i}");
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        Assert.NotNull(failure);
        Assert.Contains(Flatten(failure!), e => e is PostgresException { SqlState: PostgresErrorCodes.DiskFull } or NpgsqlException);
        Assert.NotEmpty(written);

        Run("mount", "-o", "remount,size=400m", _mount);
        await postgres.EnsureRunningAsync();
        NpgsqlConnection.ClearAllPools();
        foreach (var id in written)
        {
            Assert.Equal(id, (await ledger.SendAsync(new GetDocument.Query(id))).Id);
        }

        await ledger.SendAsync(new RegisterDocument.Command("after-the-storm", "Wire", "t", null, null, "en", DocumentKind.Article, "Space again.", new WriteContext("tests")));
        Assert.True((await ledger.SendAsync(new VerifyLedger.Query())).Intact);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
