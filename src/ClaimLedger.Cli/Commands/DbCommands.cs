using System.ComponentModel;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Infrastructure;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using Npgsql;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class MigrateSettings : LedgerSettings
{
    [CommandOption("--app-role <ROLE>")]
    [Description("The role the CLI and the server connect as; granted what they need and nothing more (default claimledger_app)")]
    public string AppRole { get; init; } = LedgerRoles.Application;

    [CommandOption("--create-app-role")]
    [Description("Create the application role when it does not exist (needs CREATEROLE) and print its connection string once")]
    public bool CreateAppRole { get; init; }
}

[Description("Create or update the ledger's tables as their owner, and grant the application role what the CLI and the server need")]
internal sealed class MigrateCommand : AsyncCommand<MigrateSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, MigrateSettings settings, CancellationToken ct)
    {
        var configured = settings.Connection ?? Environment.GetEnvironmentVariable(LedgerClient.ConnectionVariable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            var cluster = await new LocalPostgres(LocalPostgres.DefaultHome()).EnsureRunningAsync(message => Console.Error.WriteLine(message), ct);
            await LedgerClient.MigrateEmbeddedAsync(cluster, force: true, ct);
            AnsiConsole.MarkupLine($"[green]The embedded database matches the ledger's schema[/], owned by {LedgerRoles.Owner}; the CLI and the server use {LedgerRoles.Application}.");
            return ExitCodes.Ok;
        }

        var created = settings.CreateAppRole ? await CreateAppRoleAsync(configured, settings.AppRole, ct) : null;
        var granted = await LedgerRoles.MigrateAsync(configured, LedgerStore.DefaultSchema, settings.AppRole, ct);
        await LedgerClient.UpgradeAsync(configured, ct);
        AnsiConsole.MarkupLine("[green]The database matches the ledger's schema.[/]");
        if (created is not null)
        {
            AnsiConsole.MarkupLine($"Created the role [bold]{Output.Escape(settings.AppRole)}[/]. Its connection string, shown once (set it as ${LedgerClient.ConnectionVariable} for the CLI and the server):");
            Console.Out.WriteLine(created);
        }
        else if (granted)
        {
            AnsiConsole.MarkupLine($"Granted [bold]{Output.Escape(settings.AppRole)}[/] what the CLI and the server need; connect them as that role, not as the owner.");
        }
        else
        {
            Output.Error.MarkupLine($"[yellow]warning:[/] the role {Output.Escape(settings.AppRole)} does not exist, so the CLI and the server would have to run as the schema's owner, " +
                "which can disable the ledger's triggers. Create it (as a DBA: CREATE ROLE claimledger_app LOGIN PASSWORD '…') and run db migrate again, or pass --create-app-role.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<string> CreateAppRoleAsync(string ownerConnection, string role, CancellationToken ct)
    {
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var connection = new NpgsqlConnection(ownerConnection);
        await connection.OpenAsync(ct);
        if (await LedgerRoles.RoleExistsAsync(connection, role, ct))
        {
            throw new RequestValidationException([new("app-role", $"a role that does not exist yet; {role} exists already (drop --create-app-role to grant it)")]);
        }

        await LedgerRoles.CreateLoginAsync(connection, role, password, ct);
        return new NpgsqlConnectionStringBuilder(ownerConnection) { Username = role, Password = password }.ConnectionString;
    }
}

[Description("Rebuild every claim's read model from its events; the events and the ledger are only read")]
internal sealed class RebuildCommand : LedgerCommand<ReadSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ReadSettings settings, CancellationToken ct)
    {
        var rebuild = new ClaimLedger.Operations.RebuildReadModels.Command();
        // JSON output stays clean for scripts: no spinner on stdout.
        var rebuilt = settings.Json
            ? await ledger.Send(rebuild, ct)
            : await AnsiConsole.Status().StartAsync("Rebuilding the claims' read models from their events…", _ => ledger.Send(rebuild, ct));
        if (settings.Json)
        {
            Output.WriteJson(rebuilt);
        }
        else
        {
            AnsiConsole.MarkupLine($"[green]Rebuilt {rebuilt.Claims:N0} claims from {rebuilt.Events:N0} events in {rebuilt.Elapsed.TotalSeconds:F1} s.[/]");
        }

        return ExitCodes.Ok;
    }
}

internal sealed class StatusSettings : CommandSettings
{
    [CommandOption("--json")] [Description("Print JSON, including the connection string")] public bool Json { get; init; }
}

[Description("Where the embedded database is, whether it runs, how to connect, and how far the ledger's sequencer has got")]
internal sealed class StatusCommand : AsyncCommand<StatusSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable(LedgerClient.ConnectionVariable);
        var status = new LocalPostgres(LocalPostgres.DefaultHome()).Status();
        // Only a database that is there already is asked: status never starts or creates one.
        var sequencer = status.Running || !string.IsNullOrWhiteSpace(configured) ? await SequencerAsync(cancellationToken) : null;
        if (settings.Json)
        {
            Output.WriteJson(new
            {
                status.Home, status.Initialized, status.Running, status.Cluster?.Port, status.Cluster?.DataDirectory,
                ConnectionString = status.Cluster?.ApplicationPassword is null ? null : status.Cluster.ApplicationConnectionString,
                OwnerConnectionString = status.Cluster?.OwnerPassword is null ? null : status.Cluster.OwnerConnectionString,
                ConfiguredConnection = !string.IsNullOrWhiteSpace(configured),
                Sequencer = sequencer,
            });
            return ExitCodes.Ok;
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            AnsiConsole.MarkupLine($"[yellow]${LedgerClient.ConnectionVariable} is set[/]: commands use that server, not the embedded one.");
        }

        ShowSequencer(sequencer);
        AnsiConsole.MarkupLine($"Embedded database home: [bold]{Output.Escape(status.Home)}[/]");
        if (status.Cluster is null)
        {
            AnsiConsole.MarkupLine("Not created yet: the first ledger command creates and starts it.");
            return ExitCodes.Ok;
        }

        AnsiConsole.MarkupLine(status.Running
            ? $"[green]Running[/] on 127.0.0.1:{status.Cluster.Port}, database {status.Cluster.Database}, user {status.Cluster.User}"
            : "[grey]Stopped[/]: the next ledger command starts it.");
        AnsiConsole.MarkupLine($"Connect with: [bold]psql \"host=127.0.0.1 port={status.Cluster.Port} dbname={status.Cluster.Database} user={LedgerRoles.Application}\"[/] " +
            $"(the CLI's and the server's role; migrations run as {LedgerRoles.Owner}, administration as {status.Cluster.User}; passwords in {Output.Escape(Path.Combine(status.Home, "cluster.json"))}; db status --json prints both connection strings)");
        return ExitCodes.Ok;
    }

    private static async Task<SequencerStatus?> SequencerAsync(CancellationToken ct)
    {
        try
        {
            await using var ledger = await LedgerClient.OpenAsync(null, ct);
            return await ledger.Send(new GetSequencerStatus.Query(), ct);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            Output.Error.MarkupLine($"[yellow]The ledger's sequencer state could not be read:[/] {Output.Escape(e.Message)}");
            return null;
        }
    }

    internal static void ShowSequencer(SequencerStatus? sequencer)
    {
        if (sequencer is null)
        {
            return;
        }

        AnsiConsole.MarkupLine(sequencer.Unsequenced == 0
            ? $"Ledger: {sequencer.Sequenced:N0} entries, all sequenced."
            : $"Ledger: {sequencer.Sequenced:N0} entries sequenced, [yellow]{sequencer.Unsequenced:N0} committed and waiting for a position[/] (oldest {sequencer.OldestWaiting.TotalSeconds:F1} s); " +
              "claimledger serve sequences continuously, claimledger db sequence does it now, and every audit command first.");
    }
}

[Description("Give every committed ledger entry still waiting its position in the log now (the server does this continuously; audit commands do it first)")]
internal sealed class SequenceCommand : LedgerCommand<ReadSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ReadSettings settings, CancellationToken ct)
    {
        var result = await ledger.Send(new SequenceLedger.Command(), ct);
        if (settings.Json)
        {
            Output.WriteJson(result);
            return ExitCodes.Ok;
        }

        AnsiConsole.MarkupLine($"Sequenced {result.Sequenced:N0} entries.");
        StatusCommand.ShowSequencer(result.Status);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of a verb that takes none (Spectre.Console.Cli cannot instantiate its abstract base).</summary>
internal sealed class NoSettings : CommandSettings;

[Description("Stop the embedded database")]
internal sealed class StopCommand : Command<NoSettings>
{
    protected override int Execute(CommandContext context, NoSettings settings, CancellationToken cancellationToken)
    {
        var stopped = new LocalPostgres(LocalPostgres.DefaultHome()).Stop();
        AnsiConsole.MarkupLine(stopped ? "[green]Stopped the embedded database.[/]" : "The embedded database was not running.");
        return ExitCodes.Ok;
    }
}

internal sealed class ScriptSettings : CommandSettings
{
    [CommandOption("--out <FILE>")] [Description("Write the script to FILE instead of standard output")] public string? Out { get; init; }
    [CommandOption("--migrations <DIR>")] [Description("Write the numbered migration files (0001_initial.sql, …) into DIR instead")] public string? MigrationsDir { get; init; }
}

[Description("Print the SQL that creates the ledger's schema (what the files in migrations/ hold, together)")]
internal sealed class ScriptCommand : AsyncCommand<ScriptSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, ScriptSettings settings, CancellationToken cancellationToken)
    {
        if (settings.MigrationsDir is not null)
        {
            foreach (var migration in await Migrations.ExpectedAsync())
            {
                await File.WriteAllTextAsync(Path.Combine(settings.MigrationsDir, migration.File), migration.Sql, cancellationToken);
                Output.Error.MarkupLine($"Wrote {Output.Escape(Path.Combine(settings.MigrationsDir, migration.File))}");
            }

            return ExitCodes.Ok;
        }

        var script = await LedgerStore.CreationScriptAsync();
        if (settings.Out is null)
        {
            Console.Out.Write(script);
        }
        else
        {
            await File.WriteAllTextAsync(settings.Out, script, cancellationToken);
            Output.Error.MarkupLine($"Wrote {Output.Escape(settings.Out)}");
        }

        return ExitCodes.Ok;
    }
}
