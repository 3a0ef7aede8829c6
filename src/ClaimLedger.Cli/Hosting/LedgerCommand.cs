using System.ComponentModel;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Npgsql;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Hosting;

internal class LedgerSettings : CommandSettings
{
    [CommandOption("--connection <CONNECTION>")]
    [Description("PostgreSQL connection string; defaults to $CLAIMLEDGER_CONNECTION, else the embedded local cluster")]
    public string? Connection { get; init; }

    [CommandOption("--prefer-standby")]
    [Description("Send reads that tolerate replication lag (lists, history, as-of, replay, diff, verify) to a standby of a multi-host connection; also $CLAIMLEDGER_READS=prefer-standby")]
    public bool PreferStandby { get; init; }

    public bool StaleReadsFromStandby =>
        PreferStandby || string.Equals(Environment.GetEnvironmentVariable(LedgerClient.ReadsVariable), "prefer-standby", StringComparison.OrdinalIgnoreCase);
}

internal class ReadSettings : LedgerSettings
{
    [CommandOption("--json")]
    [Description("Print JSON for scripts instead of tables")]
    public bool Json { get; init; }
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int BadInput = 2;
    public const int Unavailable = 3;
}

/// <summary>
/// Opens the ledger, runs the verb and turns every failure into a message on standard error and an exit code:
/// 1 for a broken rule, a conflict or an unknown id; 2 for bad input; 3 when the database cannot be reached.
/// </summary>
internal abstract class LedgerCommand<TSettings> : AsyncCommand<TSettings> where TSettings : LedgerSettings
{
    protected abstract Task<int> RunAsync(LedgerClient ledger, TSettings settings, CancellationToken ct);

    /// <summary>Checkpoint signing options the verb's settings choose; null for the defaults.</summary>
    protected virtual ClaimLedger.Transparency.TransparencyOptions? TransparencyOptionsFor(TSettings settings) => null;

    protected sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var ledger = await LedgerClient.OpenAsync(settings.Connection, cancellationToken, TransparencyOptionsFor(settings), settings.StaleReadsFromStandby);
            return await RunAsync(ledger, settings, cancellationToken);
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    public static int Report(Exception e)
    {
        switch (e)
        {
            case Commands.ExitException exit:
                return exit.Code;
            case RequestValidationException invalid:
                Output.Error.MarkupLine("[red]error:[/] the request is not valid; nothing was written.");
                foreach (var error in invalid.Errors)
                {
                    Output.Error.MarkupLine($"  [yellow]{Output.Escape(error.Field)}[/]: {Output.Escape(error.Message)}");
                }

                return ExitCodes.BadInput;
            case ClaimRuleException rule:
                Output.Error.MarkupLine($"[red]refused ({Output.Escape(rule.Rule)}):[/] {Output.Escape(rule.Message)}");
                return ExitCodes.Refused;
            case VersionConflictException conflict:
                Output.Error.MarkupLine($"[red]conflict:[/] {Output.Escape(conflict.Message)}");
                return ExitCodes.Refused;
            case NotFoundException missing:
                Output.Error.MarkupLine($"[red]not found:[/] {Output.Escape(missing.Message)}");
                return ExitCodes.Refused;
            case LocalPostgresException local:
                Output.Error.MarkupLine($"[red]embedded database:[/] {Output.Escape(local.Message)}");
                return ExitCodes.Unavailable;
            case PostgresException { SqlState: PostgresErrorCodes.DiskFull }:
                Output.Error.MarkupLine("[red]database disk full:[/] the database server has no space left, so nothing was written. Free space on its disk (claimledger db status shows where the embedded one lives), then run the command again.");
                return ExitCodes.Unavailable;
            case PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName }:
                Output.Error.MarkupLine("[red]error:[/] the ledger's tables do not exist in this database. Run [bold]claimledger db migrate[/] first.");
                return ExitCodes.Unavailable;
            case NpgsqlException db:
                Output.Error.MarkupLine($"[red]database unavailable:[/] {Output.Escape(db.Message)}. Check --connection / ${LedgerClient.ConnectionVariable}, or run [bold]claimledger db status[/].");
                return ExitCodes.Unavailable;
            case OperationCanceledException:
                Output.Error.MarkupLine("[yellow]cancelled[/]");
                return ExitCodes.Refused;
            default:
                // Marten and the container wrap the failures above; report the one that says what happened.
                if (e.InnerException is { } inner)
                {
                    return Report(inner);
                }

                Output.Error.MarkupLine($"[red]unexpected error:[/] {Output.Escape(e.Message)}");
                return ExitCodes.Unavailable;
        }
    }
}
