using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>What went wrong with the embedded database, said so that the user knows what to do next.</summary>
public sealed class LocalPostgresException(string message) : Exception(message);

/// <summary>
/// Where the private cluster lives and how to reach it; kept in <c>cluster.json</c> in its home. <see cref="User"/> is the
/// cluster's superuser, for administration only; migrations run as <see cref="LedgerRoles.Owner"/>, the CLI and the
/// server as <see cref="LedgerRoles.Application"/> (see <see cref="LedgerRoles"/>).
/// </summary>
public sealed record LocalCluster(
    string Home, string DataDirectory, string BinDirectory, int Port, string User, string Password, string Database,
    string? OwnerPassword = null, string? ApplicationPassword = null)
{
    /// <summary>The superuser's connection: for creating databases and roles, never for the ledger itself.</summary>
    public string ConnectionString => Connect(User, Password);

    [System.Text.Json.Serialization.JsonIgnore]
    public string OwnerConnectionString => Connect(LedgerRoles.Owner, OwnerPassword ?? throw RolesMissing());

    [System.Text.Json.Serialization.JsonIgnore]
    public string ApplicationConnectionString => Connect(LedgerRoles.Application, ApplicationPassword ?? throw RolesMissing());

    private string Connect(string user, string password) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = user, Password = password, Database = Database,
        }.ConnectionString;

    private LocalPostgresException RolesMissing() =>
        new($"The embedded cluster in {Home} has no ledger roles yet; any ledger command creates them when it starts the cluster.");
}

public sealed record LocalClusterStatus(string Home, bool Initialized, bool Running, LocalCluster? Cluster);

/// <summary>
/// A private PostgreSQL cluster started from the installed server binaries: created on first use, reused and
/// left running for the next command. PostgreSQL refuses to run as root, so as root the server runs as the
/// <c>postgres</c> system user, and its files live where that user can reach them.
/// </summary>
public sealed class LocalPostgres(string home, IReadOnlyDictionary<string, string>? settings = null)
{
    public const string DatabaseName = "claimledger";
    private const string SuperUser = "claimledger";
    internal const string ServerAccount = "postgres";

    public string Home { get; } = Path.GetFullPath(home);
    private string DataDirectory => Path.Combine(Home, "data");
    private string StateFile => Path.Combine(Home, "cluster.json");
    private string LogFile => Path.Combine(Home, "postgres.log");
    // The effective user is what PostgreSQL refuses; names such as $USER can say otherwise (under sudo, say).
    internal static bool IsRoot => GetEuid() == 0;

    /// <summary>CLAIMLEDGER_HOME, else a per-user data folder; for root one the postgres account can reach.</summary>
    public static string DefaultHome()
    {
        var configured = Environment.GetEnvironmentVariable("CLAIMLEDGER_HOME");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (IsRoot)
        {
            return "/var/lib/claimledger";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrWhiteSpace(dataHome)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : dataHome, "claimledger");
    }

    /// <param name="searchPath">The directories to look in first; the PATH variable when not given.</param>
    /// <param name="installRoot">Where Debian's packages put each major version's bin folder.</param>
    public static string FindBinDirectory(string? searchPath = null, string installRoot = "/usr/lib/postgresql")
    {
        var onPath = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")));
        if (onPath is not null)
        {
            return onPath;
        }

        var installed = Directory.Exists(installRoot)
            ? Directory.GetDirectories(installRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new LocalPostgresException(MissingBinariesMessage);
    }

    public const string MissingBinariesMessage =
        "No PostgreSQL server binaries were found (looked for pg_ctl and initdb on PATH and under /usr/lib/postgresql/*/bin). " +
        "Install them (Debian/Ubuntu: sudo apt-get install postgresql; Fedora: sudo dnf install postgresql-server), " +
        "or use an existing server: set CLAIMLEDGER_CONNECTION or pass --connection \"Host=...;Database=...;Username=...;Password=...\".";

    public LocalClusterStatus Status()
    {
        var cluster = ReadState();
        return new LocalClusterStatus(Home, cluster is not null, cluster is not null && IsRunning(cluster), cluster);
    }

    /// <summary>Creates the cluster on first use, starts it when stopped and makes sure the ledger database exists.</summary>
    public async Task<LocalCluster> EnsureRunningAsync(Action<string>? report = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Home);
        using var guard = await AcquireLockAsync(ct);
        var cluster = ReadState();
        if (cluster is null || !File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            report?.Invoke($"Creating a private PostgreSQL cluster in {DataDirectory}");
            cluster = Initialize(FindBinDirectory());
        }

        if (!IsRunning(cluster))
        {
            if (!IsPortFree(cluster.Port))
            {
                cluster = cluster with { Port = FreePort() };
            }

            report?.Invoke($"Starting PostgreSQL on 127.0.0.1:{cluster.Port}");
            Start(cluster);
            WriteState(cluster);
        }

        await EnsureDatabaseAsync(cluster, ct);
        if (cluster.OwnerPassword is null || cluster.ApplicationPassword is null)
        {
            report?.Invoke($"Creating the ledger's roles: {LedgerRoles.Owner} for migrations, {LedgerRoles.Application} for the CLI and the server");
            cluster = await CreateRolesAsync(cluster, ct);
            WriteState(cluster);
        }

        return cluster;
    }

    /// <summary>
    /// The owner role owns the ledger database (so it can create the schema) and, for clusters made before the roles were
    /// split, everything the superuser created in the ledger's schema; the application role owns nothing.
    /// </summary>
    private static async Task<LocalCluster> CreateRolesAsync(LocalCluster cluster, CancellationToken ct)
    {
        var withRoles = cluster with
        {
            OwnerPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            ApplicationPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
        };
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync(ct);
        await LedgerRoles.CreateLoginAsync(admin, LedgerRoles.Owner, withRoles.OwnerPassword, ct);
        await LedgerRoles.CreateLoginAsync(admin, LedgerRoles.Application, withRoles.ApplicationPassword, ct);
        await using var handOver = new NpgsqlCommand(
            $"ALTER DATABASE \"{cluster.Database}\" OWNER TO {LedgerRoles.Owner}; {LedgerRoles.HandOverScript(LedgerStore.DefaultSchema, LedgerRoles.Owner)}", admin);
        await handOver.ExecuteNonQueryAsync(ct);
        return withRoles;
    }

    /// <param name="immediate">Stop without a checkpoint: for throwaway clusters whose data nobody will read again.</param>
    public bool Stop(bool immediate = false)
    {
        var cluster = ReadState();
        if (cluster is null || !IsRunning(cluster))
        {
            return false;
        }

        Run(cluster.BinDirectory, "pg_ctl", ["-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "stop"], "stop the server");
        return true;
    }

    private LocalCluster Initialize(string binDirectory)
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var passwordFile = Path.Combine(Home, ".pwfile");
        File.WriteAllText(passwordFile, password);
        GiveToServerAccount(Home);
        try
        {
            Run(binDirectory, "initdb",
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"],
                "create the cluster");
        }
        finally
        {
            File.Delete(passwordFile);
        }

        var cluster = new LocalCluster(Home, DataDirectory, binDirectory, FreePort(), SuperUser, password, DatabaseName);
        WriteState(cluster);
        return cluster;
    }

    private void Start(LocalCluster cluster)
    {
        var options = new List<string> { $"-p {cluster.Port}", "-c listen_addresses=127.0.0.1", $"-k {DataDirectory}" };
        options.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"-c {s.Key}={s.Value}"));
        if (IsRoot && File.Exists(LogFile))
        {
            GiveToServerAccount(LogFile);
        }

        try
        {
            Run(cluster.BinDirectory, "pg_ctl",
                ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", string.Join(' ', options), "start"],
                $"start the server (its log: {LogFile})");
        }
        catch (LocalPostgresException e) when (File.Exists(LogFile))
        {
            // pg_ctl only says that the server stopped; the server's own last words say why.
            var reason = string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(4));
            throw new LocalPostgresException($"{e.Message}{Environment.NewLine}The server's log ends with:{Environment.NewLine}{reason}");
        }
    }

    private bool IsRunning(LocalCluster cluster)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return false;
        }

        var (exitCode, _) = Execute(cluster.BinDirectory, "pg_ctl", ["-D", DataDirectory, "status"]);
        return exitCode == 0;
    }

    private static async Task EnsureDatabaseAsync(LocalCluster cluster, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", cluster.Database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{cluster.Database}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private static void Run(string binDirectory, string tool, IReadOnlyList<string> arguments, string purpose)
    {
        var (exitCode, output) = Execute(binDirectory, tool, arguments);
        if (exitCode != 0)
        {
            throw new LocalPostgresException($"Could not {purpose} ({tool} exited with {exitCode}):{Environment.NewLine}{output.Trim()}");
        }
    }

    internal static (int ExitCode, string Output) Execute(string binDirectory, string tool, IReadOnlyList<string> arguments, bool asServerAccount = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot && asServerAccount)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", ServerAccount, "--", Path.Combine(binDirectory, tool) })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = Path.Combine(binDirectory, tool);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new LocalPostgresException($"Could not run {start.FileName}.");
        // pg_ctl start leaves the server holding inherited pipes, so read only what the tool itself writes.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
        return (process.ExitCode, (stdout.IsCompletedSuccessfully ? stdout.Result : "") + (stderr.IsCompletedSuccessfully ? stderr.Result : ""));
    }

    private void GiveToServerAccount(string path) => GiveToServerAccount(Home, path);

    internal static void GiveToServerAccount(string home, string path)
    {
        if (!IsRoot)
        {
            return;
        }

        // The server account must be able to walk into the home and own what the server writes.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var (exitCode, output) = Execute("/bin", "chown", ["-R", $"{ServerAccount}:", path], asServerAccount: false);
        if (exitCode != 0)
        {
            throw new LocalPostgresException($"Could not give {path} to the '{ServerAccount}' account: {output.Trim()}. " +
                "As root the server runs as that account; create it (apt-get install postgresql does) or set CLAIMLEDGER_HOME to a folder it can use.");
        }
    }

    private LocalCluster? ReadState()
    {
        if (!File.Exists(StateFile))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LocalCluster>(File.ReadAllText(StateFile));
        }
        catch (JsonException e)
        {
            throw new LocalPostgresException($"{StateFile} is damaged ({e.Message}). Stop any server using {DataDirectory} and delete {Home} to start afresh.");
        }
    }

    private void WriteState(LocalCluster cluster)
    {
        File.WriteAllText(StateFile, JsonSerializer.Serialize(cluster));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(StateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private async Task<IDisposable> AcquireLockAsync(CancellationToken ct)
    {
        var path = Path.Combine(Home, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}
