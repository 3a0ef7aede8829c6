using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>One PostgreSQL instance of the failover cluster, as the pg_auto_failover monitor reports it.</summary>
public sealed record FailoverNodeState(string Name, int Port, string ReportedState, string AssignedState, bool Healthy)
{
    public bool IsPrimary => ReportedState is "primary" or "wait_primary" or "single" && AssignedState == ReportedState;
    public bool IsSecondary => ReportedState == "secondary" && AssignedState == "secondary";
}

/// <summary>Where the cluster lives and how to reach it; kept in <c>ha.json</c> in its home.</summary>
public sealed record FailoverClusterLayout(string Home, string BinDirectory, int MonitorPort, int[] NodePorts, string OwnerPassword, string ApplicationPassword)
{
    public const string Database = LocalPostgres.DatabaseName;

    [JsonIgnore] public string MonitorDirectory => Path.Combine(Home, "monitor");

    public static string NodeName(int index) => $"node{index + 1}";

    public string NodeDirectory(int index) => Path.Combine(Home, NodeName(index));

    /// <summary>Every node, in one multi-host connection string: Npgsql finds the node that currently takes writes.</summary>
    public string ApplicationConnectionString(string targetSessionAttributes = "primary") =>
        Connect(LedgerRoles.Application, ApplicationPassword, targetSessionAttributes);

    [JsonIgnore] public string OwnerConnectionString => Connect(LedgerRoles.Owner, OwnerPassword, "primary");

    /// <summary>The server account's superuser over loopback: administration only (creating the ledger's roles).</summary>
    [JsonIgnore] public string AdministratorConnectionString => Connect(LocalPostgres.ServerAccount, null, "primary");

    private string Connect(string user, string? password, string targetSessionAttributes) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = string.Join(',', NodePorts.Select(p => $"127.0.0.1:{p}")),
            Database = Database,
            Username = user,
            Password = password,
            TargetSessionAttributes = targetSessionAttributes,
            // Npgsql remembers which host was primary; after a failover it must look again soon, not in the default 10 s.
            HostRecheckSeconds = 1,
        }.ConnectionString;
}

/// <summary>
/// A monitor, a primary and a synchronous secondary managed by pg_auto_failover, all on loopback ports under one home,
/// started the same way as the embedded database (as the <c>postgres</c> account when run as root). The monitor promotes the
/// secondary when the primary fails; a failed primary that comes back rejoins as the secondary. Commits wait for the
/// secondary (pg_auto_failover's default with one standby), so a write acknowledged before a failover survives it.
/// Authentication on loopback is <c>trust</c>, as in pg_auto_failover's own quick start: this is a single-machine
/// rehearsal of the topology, not a deployment (see docs/high-availability.md).
/// </summary>
public sealed class FailoverCluster(string home)
{
    private const int NodeCount = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    public string Home { get; } = Path.GetFullPath(home);
    private string StateFile => Path.Combine(Home, "ha.json");

    public static string DefaultHome() => Path.Combine(LocalPostgres.DefaultHome(), "ha");

    public FailoverClusterLayout? Layout() =>
        File.Exists(StateFile) ? JsonSerializer.Deserialize<FailoverClusterLayout>(File.ReadAllText(StateFile)) : null;

    /// <summary>Creates the cluster on first use, starts whatever is stopped, and waits for a primary and a secondary.</summary>
    public async Task<FailoverClusterLayout> UpAsync(Action<string> report, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Home);
        var layout = Layout() ?? Create();
        LocalPostgres.GiveToServerAccount(Home, Home);

        if (!File.Exists(Path.Combine(layout.MonitorDirectory, "PG_VERSION")))
        {
            report($"Creating the pg_auto_failover monitor on 127.0.0.1:{layout.MonitorPort}");
            Autoctl(layout, "create monitor", "create", "monitor", "--pgdata", layout.MonitorDirectory, "--pgport", $"{layout.MonitorPort}",
                "--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl");
        }

        StartIfStopped(layout, layout.MonitorDirectory, "monitor");
        for (var i = 0; i < NodeCount; i++)
        {
            if (File.Exists(Path.Combine(layout.NodeDirectory(i), "PG_VERSION")) || File.Exists(KeeperState(layout, i)))
            {
                StartIfStopped(layout, layout.NodeDirectory(i), FailoverClusterLayout.NodeName(i));
                continue;
            }

            report($"Creating {FailoverClusterLayout.NodeName(i)} on 127.0.0.1:{layout.NodePorts[i]}{(i == 0 ? "" : " as a synchronous standby (a base backup of the primary)")}");
            RunDetached(layout, FailoverClusterLayout.NodeName(i), "create", "postgres", "--pgdata", layout.NodeDirectory(i), "--pgport", $"{layout.NodePorts[i]}",
                "--hostname", "127.0.0.1", "--name", FailoverClusterLayout.NodeName(i), "--auth", "trust", "--no-ssl", "--dbname", FailoverClusterLayout.Database,
                "--monitor", MonitorUri(layout), "--run");
            if (i == 0)
            {
                await WaitAsync(layout, nodes => nodes.Any(n => n.IsPrimary), "the first node to become primary", report, ct);
            }
        }

        await WaitAsync(layout, nodes => nodes.Count(n => n.IsPrimary) == 1 && nodes.Count(n => n.IsSecondary) == NodeCount - 1,
            "a primary and a synchronous secondary", report, ct);
        return layout;
    }

    /// <summary>Creates the ledger's roles on the primary (they replicate) and hands the ledger database to the owner role.</summary>
    public static async Task CreateRolesAsync(FailoverClusterLayout layout, CancellationToken ct = default)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(layout.AdministratorConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync(ct);
        await LedgerRoles.CreateLoginAsync(admin, LedgerRoles.Owner, layout.OwnerPassword, ct);
        await LedgerRoles.CreateLoginAsync(admin, LedgerRoles.Application, layout.ApplicationPassword, ct);
        await using var handOver = new NpgsqlCommand($"ALTER DATABASE \"{FailoverClusterLayout.Database}\" OWNER TO {LedgerRoles.Owner}", admin);
        await handOver.ExecuteNonQueryAsync(ct);
    }

    public IReadOnlyList<FailoverNodeState> Status()
    {
        var layout = Layout();
        return layout is null ? [] : Status(layout);
    }

    /// <summary>Asks the monitor to promote the secondary (a planned switchover: nothing is lost) and waits until it has.</summary>
    public async Task<FailoverNodeState> FailoverAsync(Action<string> report, CancellationToken ct = default)
    {
        var layout = Layout() ?? throw new LocalPostgresException($"There is no failover cluster in {Home}; start one with: claimledger cluster up");
        var before = Status(layout).FirstOrDefault(n => n.IsPrimary)
            ?? throw new LocalPostgresException("The cluster has no primary right now; see: claimledger cluster status");
        report($"Asking the monitor to promote the secondary (the primary is {before.Name})");
        Autoctl(layout, "perform the failover", "perform", "failover", "--pgdata", layout.MonitorDirectory);
        var nodes = await WaitAsync(layout, n => n.Any(x => x.IsPrimary && x.Name != before.Name) && n.Count(x => x.IsSecondary) == NodeCount - 1,
            "the secondary to be promoted and the old primary to follow it", report, ct);
        return nodes.Single(n => n.IsPrimary);
    }

    /// <summary>Stops the nodes, then the monitor; their files stay for the next <c>up</c>.</summary>
    public bool Down()
    {
        var layout = Layout();
        if (layout is null)
        {
            return false;
        }

        for (var i = NodeCount - 1; i >= 0; i--)
        {
            Stop(layout, layout.NodeDirectory(i));
        }

        Stop(layout, layout.MonitorDirectory);
        return true;
    }

    /// <summary>The process id of a node's postmaster, for failure tests (a SIGKILL is what a crash looks like).</summary>
    public int PostmasterPid(string nodeName)
    {
        var layout = Layout() ?? throw new LocalPostgresException($"There is no failover cluster in {Home}.");
        var index = Enumerable.Range(0, NodeCount).Single(i => FailoverClusterLayout.NodeName(i) == nodeName);
        return int.Parse(File.ReadLines(Path.Combine(layout.NodeDirectory(index), "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private FailoverClusterLayout Create()
    {
        // pg_autoctl finds pg_controldata and the other tools beside pg_ctl, so a folder of links to them will not do.
        var pgCtl = new FileInfo(Path.Combine(LocalPostgres.FindBinDirectory(), "pg_ctl"));
        var binDirectory = Path.GetDirectoryName((pgCtl.ResolveLinkTarget(returnFinalTarget: true) ?? pgCtl).FullName)!;
        var layout = new FailoverClusterLayout(Home, binDirectory, LocalPostgres.FreePort(),
            Enumerable.Range(0, NodeCount).Select(_ => LocalPostgres.FreePort()).ToArray(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        File.WriteAllText(StateFile, JsonSerializer.Serialize(layout));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(StateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return layout;
    }

    private static string MonitorUri(FailoverClusterLayout layout) =>
        $"postgres://autoctl_node@127.0.0.1:{layout.MonitorPort}/pg_auto_failover?sslmode=disable";

    private static string KeeperState(FailoverClusterLayout layout, int index) =>
        Path.Combine(layout.Home, "xdg", "data", "pg_autoctl", layout.NodeDirectory(index).TrimStart('/'), "pg_autoctl.state");

    private static async Task<IReadOnlyList<FailoverNodeState>> WaitAsync(
        FailoverClusterLayout layout, Func<IReadOnlyList<FailoverNodeState>, bool> ready, string what, Action<string> report, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var said = "";
        while (true)
        {
            var nodes = Status(layout);
            if (ready(nodes))
            {
                return nodes;
            }

            var now = string.Join(", ", nodes.Select(n => $"{n.Name} {n.ReportedState}"));
            if (now != said && now.Length > 0)
            {
                report($"Waiting for {what}: {now}");
                said = now;
            }

            // pg_basebackup waits for the primary's next checkpoint, minutes away by default; ask for it now.
            if (nodes.Any(n => n.ReportedState is "wait_standby" or "catchingup") && nodes.FirstOrDefault(n => n.IsPrimary) is { } primary)
            {
                await CheckpointAsync(primary.Port, ct);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new LocalPostgresException($"Gave up waiting for {what} after {StartTimeout.TotalMinutes:N0} minutes ({now}). " +
                    $"The logs are in {layout.Home}/*.log; claimledger cluster status shows the nodes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static async Task CheckpointAsync(int port, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username={LocalPostgres.ServerAccount};Database=postgres;Pooling=false;Timeout=3");
            await connection.OpenAsync(ct);
            await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException)
        {
            // The primary may still be starting; the next round asks again.
        }
    }

    private static List<FailoverNodeState> Status(FailoverClusterLayout layout)
    {
        var (exitCode, output) = Shell(layout, "pg_autoctl show state --json --pgdata \"$1\" 2>/dev/null", layout.MonitorDirectory);
        if (exitCode != 0 || !output.TrimStart().StartsWith('['))
        {
            return [];
        }

        using var json = JsonDocument.Parse(output);
        return json.RootElement.EnumerateArray().Select(n => new FailoverNodeState(
            n.GetProperty("nodename").GetString()!, n.GetProperty("nodeport").GetInt32(),
            n.GetProperty("current_group_state").GetString()!, n.GetProperty("assigned_group_state").GetString()!,
            n.GetProperty("health").GetInt32() == 1)).ToList();
    }

    private static void StartIfStopped(FailoverClusterLayout layout, string dataDirectory, string name)
    {
        if (Shell(layout, "pg_autoctl status --pgdata \"$1\" >/dev/null 2>&1", dataDirectory).ExitCode != 0)
        {
            RunDetached(layout, name, "run", "--pgdata", dataDirectory);
        }
    }

    private static void Stop(FailoverClusterLayout layout, string dataDirectory)
    {
        if (Shell(layout, "pg_autoctl status --pgdata \"$1\" >/dev/null 2>&1", dataDirectory).ExitCode == 0)
        {
            Shell(layout, "pg_autoctl stop --pgdata \"$1\" && for i in $(seq 1 100); do pg_autoctl status --pgdata \"$1\" >/dev/null 2>&1 || exit 0; sleep 0.1; done", dataDirectory);
        }
    }

    private static void Autoctl(FailoverClusterLayout layout, string purpose, params string[] arguments)
    {
        var (exitCode, output) = Shell(layout, "pg_autoctl \"$@\"", arguments);
        if (exitCode != 0)
        {
            throw new LocalPostgresException($"Could not {purpose} (pg_autoctl exited with {exitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, output.Trim().Split('\n').TakeLast(8))}");
        }
    }

    /// <summary>A pg_autoctl service outlives this process: in its own session, its output in a log beside its data.</summary>
    private static void RunDetached(FailoverClusterLayout layout, string name, params string[] arguments) =>
        Shell(layout, $"setsid pg_autoctl \"$@\" >> '{Path.Combine(layout.Home, name + ".log")}' 2>&1 < /dev/null &", arguments);

    /// <summary>
    /// Runs a shell snippet as the server account, with the PostgreSQL binaries on PATH and pg_autoctl's configuration and
    /// state kept inside the cluster's home (the XDG folders), so several clusters can live side by side.
    /// </summary>
    private static (int ExitCode, string Output) Shell(FailoverClusterLayout layout, string script, params string[] arguments)
    {
        var xdg = Path.Combine(layout.Home, "xdg");
        var environment =
            $"export PATH='{layout.BinDirectory}':\"$PATH\" XDG_CONFIG_HOME='{xdg}/config' XDG_DATA_HOME='{xdg}/data' XDG_RUNTIME_DIR='{xdg}/run'; " +
            "mkdir -p \"$XDG_CONFIG_HOME\" \"$XDG_DATA_HOME\" \"$XDG_RUNTIME_DIR\"; cd \"$XDG_RUNTIME_DIR\"; ";
        if (!File.Exists("/usr/bin/pg_autoctl") && !File.Exists(Path.Combine(layout.BinDirectory, "pg_autoctl")))
        {
            throw new LocalPostgresException("pg_auto_failover is not installed. Install it (Debian/Ubuntu: sudo apt-get install postgresql-15-auto-failover pg-auto-failover-cli).");
        }

        return LocalPostgres.Execute("/bin", "sh", ["-c", environment + script, "sh", .. arguments]);
    }
}
