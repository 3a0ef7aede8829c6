using System.ComponentModel;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class ClusterSettings : CommandSettings
{
    [CommandOption("--json")] [Description("Print JSON, including the connection strings")] public bool Json { get; init; }
}

/// <summary>The failover cluster's connection strings and nodes, as every cluster verb prints them.</summary>
internal static class ClusterView
{
    public static void Print(FailoverClusterLayout layout, IReadOnlyList<FailoverNodeState> nodes, bool json)
    {
        if (json)
        {
            Output.WriteJson(new
            {
                layout.Home, Monitor = $"127.0.0.1:{layout.MonitorPort}", Nodes = nodes,
                ConnectionString = layout.ApplicationConnectionString(),
                StandbyReadsConnectionString = layout.ApplicationConnectionString("prefer-standby"),
                OwnerConnectionString = layout.OwnerConnectionString,
            });
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Node", "Address", "State", "Assigned", "Health");
        foreach (var node in nodes)
        {
            table.AddRow(node.Name, $"127.0.0.1:{node.Port}", node.IsPrimary ? $"[green]{node.ReportedState}[/]" : node.ReportedState, node.AssignedState,
                node.Healthy ? "ok" : "[red]unreachable[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Monitor: 127.0.0.1:{layout.MonitorPort}; files and logs in {Output.Escape(layout.Home)}");
        AnsiConsole.MarkupLine($"For the CLI and the server (writes follow the primary; add [bold]--prefer-standby[/] to read lists, history and verification from the standby):");
        Console.Out.WriteLine($"export {LedgerClient.ConnectionVariable}=\"{layout.ApplicationConnectionString()}\"");
    }
}

[Description("Start a pg_auto_failover cluster on loopback (monitor, primary, synchronous secondary), migrate it and print its connection string")]
internal sealed class ClusterUpCommand : AsyncCommand<ClusterSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken ct)
    {
        var cluster = new FailoverCluster(FailoverCluster.DefaultHome());
        var layout = await cluster.UpAsync(message => Output.Error.MarkupLine($"[grey]{Output.Escape(message)}[/]"), ct);
        await FailoverCluster.CreateRolesAsync(layout, ct);
        await LedgerRoles.MigrateAsync(layout.OwnerConnectionString, LedgerStore.DefaultSchema, LedgerRoles.Application, ct);
        await LedgerClient.UpgradeAsync(layout.OwnerConnectionString, ct);
        Output.Error.MarkupLine("[green]The cluster is up and migrated.[/]");
        ClusterView.Print(layout, cluster.Status(), settings.Json);
        return ExitCodes.Ok;
    }
}

[Description("Show the failover cluster's nodes, which one is primary, and the connection string")]
internal sealed class ClusterStatusCommand : Command<ClusterSettings>
{
    protected override int Execute(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        var cluster = new FailoverCluster(FailoverCluster.DefaultHome());
        if (cluster.Layout() is not { } layout)
        {
            Output.Error.MarkupLine($"There is no failover cluster in {Output.Escape(cluster.Home)}; start one with: [bold]claimledger cluster up[/]");
            return ExitCodes.Refused;
        }

        var nodes = cluster.Status();
        if (nodes.Count == 0)
        {
            Output.Error.MarkupLine("[yellow]The monitor is not running[/]: claimledger cluster up starts the cluster again.");
        }

        ClusterView.Print(layout, nodes, settings.Json);
        return ExitCodes.Ok;
    }
}

[Description("Promote the secondary and make the primary follow it (a planned switchover: nothing acknowledged is lost)")]
internal sealed class ClusterFailoverCommand : AsyncCommand<ClusterSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken ct)
    {
        var cluster = new FailoverCluster(FailoverCluster.DefaultHome());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var primary = await cluster.FailoverAsync(message => Output.Error.MarkupLine($"[grey]{Output.Escape(message)}[/]"), ct);
        Output.Error.MarkupLine($"[green]{primary.Name} (127.0.0.1:{primary.Port}) is primary[/] after {clock.Elapsed.TotalSeconds:N1} s.");
        ClusterView.Print(cluster.Layout()!, cluster.Status(), settings.Json);
        return ExitCodes.Ok;
    }
}

[Description("Stop the failover cluster (nodes, then monitor); its data stays for the next cluster up")]
internal sealed class ClusterDownCommand : Command<NoSettings>
{
    protected override int Execute(CommandContext context, NoSettings settings, CancellationToken cancellationToken)
    {
        var stopped = new FailoverCluster(FailoverCluster.DefaultHome()).Down();
        AnsiConsole.MarkupLine(stopped ? "[green]Stopped the failover cluster.[/]" : "There is no failover cluster to stop.");
        return ExitCodes.Ok;
    }
}
