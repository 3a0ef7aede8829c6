using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using MediatR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// When the database connection dies under a request (the primary crashed, or a failover moved it), the request is sent
/// again once a primary answers, but only where that cannot write twice: reads, and writes that carry an idempotency key
/// (a retry of a write that did commit gets the first result back, see <see cref="IdempotencyBehavior{TRequest,TResponse}"/>).
/// A write without a key fails as before: whether it committed is unknown, and only its caller can decide what to do.
/// Only with a multi-host connection string, where another node can take over; a lone server that is down is reported
/// at once (HTTP 503, CLI exit 3) rather than after the retry budget.
/// </summary>
public sealed class ConnectionRetryBehavior<TRequest, TResponse>(ClaimLedgerOptions options, ILogger<ConnectionRetryBehavior<TRequest, TResponse>>? logger = null)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        await FailoverFence.WaitUntilSettledAsync(options.ConnectionString, ConnectionRetry.Budget, cancellationToken);
        if (!ConnectionRetry.IsSafeToRepeat(request) || !FailoverFence.HasStandbys(options.ConnectionString))
        {
            try
            {
                return await next();
            }
            catch (Exception e) when (ConnectionRetry.IsLostConnection(e))
            {
                MultiHostConnections.ClearPools();
                FailoverFence.Raise(options.ConnectionString);
                throw;
            }
        }

        var deadline = DateTime.UtcNow + ConnectionRetry.Budget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next();
            }
            catch (Exception e) when (ConnectionRetry.IsLostConnection(e) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                var log = logger ?? NullLogger<ConnectionRetryBehavior<TRequest, TResponse>>.Instance;
                if (log.IsEnabled(LogLevel.Information))
                {
                    log.LogInformation("The database connection was lost under {Request} (attempt {Attempt}); trying again: {Reason}", typeof(TRequest).Name, attempt, e.Message);
                }

                // Idle pooled connections to the failed server would each fail once more; drop them now.
                MultiHostConnections.ClearPools();
                FailoverFence.Raise(options.ConnectionString);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (1 << Math.Min(attempt - 1, 4)))), cancellationToken);
                await FailoverFence.WaitUntilSettledAsync(options.ConnectionString, deadline - DateTime.UtcNow, cancellationToken);
            }
        }
    }
}

/// <summary>What <see cref="ConnectionRetryBehavior{TRequest,TResponse}"/> may repeat, and which failures it repeats after.</summary>
public static class ConnectionRetry
{
    /// <summary>Long enough for pg_auto_failover to promote the standby (a few seconds measured here, docs/reliability.md).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    private static readonly HashSet<Type> Reads = [.. StandbyLedger.StaleTolerant, typeof(GetClaim.Query), typeof(GetClaimJson.Query), typeof(GetDocument.Query)];

    public static bool IsSafeToRepeat(object? request) =>
        request is IClaimWrite { Context.IdempotencyKey: { Length: > 0 } } || (request is not null && Reads.Contains(request.GetType()));

    /// <summary>
    /// The connection broke, the server is shutting down or starting, or the node answering is no longer the primary
    /// (a write reached a node that was demoted meanwhile): the request never took effect, or took effect in full.
    /// </summary>
    public static bool IsLostConnection(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case UnconfirmedPrimaryException:
                    return true;
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.ReadOnlySqlTransaction;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case NpgsqlException { InnerException: null } npgsql when npgsql.Message.Contains("host", StringComparison.OrdinalIgnoreCase):
                    // "No suitable host was found": mid-failover, no node has become primary yet.
                    return true;
            }
        }

        return false;
    }
}
