using System.ComponentModel;
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

/// <summary>Opens the ledger and runs the verb; a failure goes to the app's exception handler (<see cref="CliFailures"/>).</summary>
internal abstract class LedgerCommand<TSettings> : AsyncCommand<TSettings> where TSettings : LedgerSettings
{
    protected abstract Task<int> RunAsync(LedgerClient ledger, TSettings settings, CancellationToken ct);

    /// <summary>Checkpoint signing options the verb's settings choose; null for the defaults.</summary>
    protected virtual ClaimLedger.Transparency.TransparencyOptions? TransparencyOptionsFor(TSettings settings) => null;

    protected sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        await using var ledger = await LedgerClient.OpenAsync(settings.Connection, cancellationToken, TransparencyOptionsFor(settings), settings.StaleReadsFromStandby);
        return await RunAsync(ledger, settings, cancellationToken);
    }
}
