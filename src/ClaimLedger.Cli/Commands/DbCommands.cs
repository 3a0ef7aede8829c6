using System.ComponentModel;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Infrastructure;
using Marten;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

[Description("Create or update the ledger's tables to match this version of ClaimLedger")]
internal sealed class MigrateCommand : LedgerCommand<LedgerSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, LedgerSettings settings, CancellationToken ct)
    {
        await ledger.Service<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync(JasperFx.AutoCreate.CreateOrUpdate);
        AnsiConsole.MarkupLine("[green]The database matches the ledger's schema.[/]");
        return ExitCodes.Ok;
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

[Description("Where the embedded database is, whether it runs, and how to connect")]
internal sealed class StatusCommand : Command<StatusSettings>
{
    protected override int Execute(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var configured = Environment.GetEnvironmentVariable(LedgerClient.ConnectionVariable);
            var status = new LocalPostgres(LocalPostgres.DefaultHome()).Status();
            if (settings.Json)
            {
                Output.WriteJson(new
                {
                    status.Home, status.Initialized, status.Running, status.Cluster?.Port, status.Cluster?.DataDirectory,
                    ConnectionString = status.Cluster?.ConnectionString, ConfiguredConnection = !string.IsNullOrWhiteSpace(configured),
                });
                return ExitCodes.Ok;
            }

            if (!string.IsNullOrWhiteSpace(configured))
            {
                AnsiConsole.MarkupLine($"[yellow]${LedgerClient.ConnectionVariable} is set[/]: commands use that server, not the embedded one.");
            }

            AnsiConsole.MarkupLine($"Embedded database home: [bold]{Output.Escape(status.Home)}[/]");
            if (status.Cluster is null)
            {
                AnsiConsole.MarkupLine("Not created yet: the first ledger command creates and starts it.");
                return ExitCodes.Ok;
            }

            AnsiConsole.MarkupLine(status.Running
                ? $"[green]Running[/] on 127.0.0.1:{status.Cluster.Port}, database {status.Cluster.Database}, user {status.Cluster.User}"
                : "[grey]Stopped[/]: the next ledger command starts it.");
            AnsiConsole.MarkupLine($"Connect with: [bold]psql \"host=127.0.0.1 port={status.Cluster.Port} dbname={status.Cluster.Database} user={status.Cluster.User}\"[/] (password in {Output.Escape(Path.Combine(status.Home, "cluster.json"))}; db status --json prints the connection string)");
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return LedgerCommand<LedgerSettings>.Report(e);
        }
    }
}

/// <summary>Settings of a verb that takes none (Spectre.Console.Cli cannot instantiate its abstract base).</summary>
internal sealed class NoSettings : CommandSettings;

[Description("Stop the embedded database")]
internal sealed class StopCommand : Command<NoSettings>
{
    protected override int Execute(CommandContext context, NoSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var stopped = new LocalPostgres(LocalPostgres.DefaultHome()).Stop();
            AnsiConsole.MarkupLine(stopped ? "[green]Stopped the embedded database.[/]" : "The embedded database was not running.");
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return LedgerCommand<LedgerSettings>.Report(e);
        }
    }
}

internal sealed class ScriptSettings : CommandSettings
{
    [CommandOption("--out <FILE>")] [Description("Write the script to FILE instead of standard output")] public string? Out { get; init; }
}

[Description("Print the SQL that creates the ledger's schema (what migrations/0001_initial.sql holds)")]
internal sealed class ScriptCommand : AsyncCommand<ScriptSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, ScriptSettings settings, CancellationToken cancellationToken)
    {
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
