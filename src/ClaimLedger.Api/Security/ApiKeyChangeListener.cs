using ClaimLedger.Access;
using ClaimLedger.Common;
using Npgsql;

namespace ClaimLedger.Api.Security;

/// <summary>
/// Listens for key changes (<c>pg_notify</c> on the ledger's key channel) and tells the key cache, so a key revoked
/// through any server or the CLI stops working here within moments. While the connection is down the cache is off.
/// </summary>
public sealed partial class ApiKeyChangeListener(ClaimLedgerOptions options, ApiKeyCache cache, ILogger<ApiKeyChangeListener> log) : BackgroundService
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, change) => cache.Changed(change.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{cache.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Listening(true);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(Probe, stoppingToken))
                    {
                        // Nothing heard for a while: make sure the connection is still there to hear.
                        await using var ping = new NpgsqlCommand("select 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                cache.Listening(false);
                LogLost(log, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            finally
            {
                cache.Listening(false);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Not listening for API key changes ({Reason}); keys are looked up on every request until it reconnects.")]
    private static partial void LogLost(ILogger logger, string reason);
}
