using System.Globalization;
using System.Text.Json;
using ClaimLedger.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ClaimLedger.Api;

/// <summary>
/// The server's sequencer: numbers committed ledger entries as they arrive, one batch straight after another while there
/// is a backlog, and every <see cref="IdleInterval"/> otherwise, so an entry waits for its position about that long.
/// Several servers on one database take turns (the numbering holds a lock only sequencers take); a crash mid-batch
/// rolls the batch back, and the next run numbers those entries again from where the log ends.
/// </summary>
public sealed partial class LedgerSequencerService(LedgerSequencer sequencer, ILogger<LedgerSequencerService> logger) : BackgroundService
{
    public static readonly TimeSpan IdleInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? lastFailure = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var moved = await sequencer.SequenceBatchAsync(LedgerSequencer.BatchSize, stoppingToken);
                lastFailure = null;
                if (moved < LedgerSequencer.BatchSize)
                {
                    await Task.Delay(IdleInterval, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Once per kind of failure: a database that is down stays down for many rounds.
                if (e.Message != lastFailure)
                {
                    if (e is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction })
                    {
                        LogReadOnly();
                    }
                    else
                    {
                        LogFailed(e, e.Message);
                    }

                    lastFailure = e.Message;
                }

                await Task.Delay(FailureBackoff, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "The ledger sequencer could not number entries; it retries every second: {Reason}")]
    private partial void LogFailed(Exception exception, string reason);

    [LoggerMessage(LogLevel.Information, "The ledger sequencer waits: the database is read-only (a standby); the primary's sequencer numbers the entries.")]
    private partial void LogReadOnly();
}

/// <summary>
/// Part of /health/ready: how many committed entries wait for a position and for how long. A backlog older than
/// <see cref="DegradedAfter"/> (a large import being numbered, a stopped sequencer) makes the server degraded, not
/// unready: writes and reads still work, only the log's tree lags behind.
/// </summary>
public sealed class SequencerHealthCheck(LedgerSequencer sequencer) : IHealthCheck
{
    public static readonly TimeSpan DegradedAfter = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await sequencer.StatusAsync(cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["sequenced"] = status.Sequenced,
                ["unsequenced"] = status.Unsequenced,
                ["oldestWaitingSeconds"] = Math.Round(status.OldestWaiting.TotalSeconds, 3),
            };
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{status.Sequenced} entries sequenced, {status.Unsequenced} waiting (oldest {status.OldestWaiting.TotalSeconds:F3} s)");
            return status.OldestWaiting > DegradedAfter
                ? HealthCheckResult.Degraded($"The ledger sequencer lags: {summary}", data: data)
                : HealthCheckResult.Healthy(summary, data);
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("The sequencer's state cannot be read.", e);
        }
    }

    /// <summary>The readiness report as JSON: the overall status, and each check's status, description and figures.</summary>
    public static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }, JsonSerializerOptions.Web));
    }
}
