using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>The primary could not show that its commits reach the synchronous standby: treated as a lost connection, and retried.</summary>
public sealed class UnconfirmedPrimaryException(string message) : Exception(message);

/// <summary>
/// Holds requests back, after a connection was lost, until the hosts of a multi-host connection agree again on one primary
/// that can commit. When a primary crashes, its pg_auto_failover keeper restarts it at once, and for a few seconds, until the
/// monitor demotes it, it is writable again: its commits hang (no synchronous standby follows it any more) but its reads
/// show transactions the standby never confirmed, which the rejoin will rewind. An idempotency key found there would be
/// replayed as acknowledged and then vanish; a claim id found there would be refused as taken. So while two nodes claim
/// to be primary, or the only one cannot commit, nothing is sent.
/// </summary>
public static class FailoverFence
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, byte> Raised = new();

    // Asked on every request: parsing the connection string each time cost a measurable share of a cached GET.
    private static readonly ConcurrentDictionary<string, bool> MultiHost = new();

    // ConcurrentDictionary.IsEmpty takes every lock when the dictionary is empty, as it is almost always here.
    private static int _raised;

    public static bool HasStandbys(string connectionString) =>
        MultiHost.GetOrAdd(connectionString, static c => Hosts(c).Count > 1);

    public static void Raise(string connectionString)
    {
        if (HasStandbys(connectionString))
        {
            if (Raised.TryAdd(Key(connectionString), 0))
            {
                Interlocked.Increment(ref _raised);
            }
        }
    }

    /// <summary>Returns at once unless the fence is up; then waits until it can be lowered, for at most <paramref name="budget"/>.</summary>
    public static async Task WaitUntilSettledAsync(string connectionString, TimeSpan budget, CancellationToken ct)
    {
        if (Volatile.Read(ref _raised) == 0)
        {
            return;
        }

        var key = Key(connectionString);
        if (!Raised.ContainsKey(key))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget && !await SettledAsync(connectionString, ct))
        {
            await Task.Delay(250, ct);
        }

        if (Raised.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _raised);
        }

        MultiHostConnections.ClearPools();
    }

    /// <summary>Exactly one host is out of recovery, and a commit there returns without waiting on a standby that is gone.</summary>
    public static async Task<bool> SettledAsync(string connectionString, CancellationToken ct)
    {
        var writable = new List<NpgsqlConnectionStringBuilder>();
        foreach (var host in Hosts(connectionString))
        {
            try
            {
                await using var connection = new NpgsqlConnection(host.ConnectionString);
                await connection.OpenAsync(ct);
                await using var recovery = new NpgsqlCommand("select pg_is_in_recovery()", connection);
                if (!(bool)(await recovery.ExecuteScalarAsync(ct))!)
                {
                    writable.Add(host);
                }
            }
            catch (NpgsqlException)
            {
                // Down or starting: not a primary.
            }
        }

        return writable.Count == 1 && await CanCommitAsync(writable[0], ct);
    }

    /// <summary>
    /// Before an outcome found in the database is answered again (an idempotent retry), the primary answering must show
    /// that it commits durably: its probe's commit waits until the standby holds everything before it, the found write
    /// included. A primary restarted in place whose standby has gone cannot, and the write it shows may yet be discarded.
    /// </summary>
    /// <exception cref="UnconfirmedPrimaryException">The primary could not commit durably within the probe's time.</exception>
    public static async Task EnsureDurableAsync(string connectionString, CancellationToken ct)
    {
        if (!HasStandbys(connectionString))
        {
            return;
        }

        if (!await CanCommitAsync(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = (int)ProbeTimeout.TotalSeconds }, ct))
        {
            Raise(connectionString);
            throw new UnconfirmedPrimaryException(
                $"The primary did not confirm a commit on its synchronous standby within {ProbeTimeout.TotalSeconds:N0} s, so what it shows may not survive a failover.");
        }
    }

    private static async Task<bool> CanCommitAsync(NpgsqlConnectionStringBuilder host, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(host.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var transaction = await connection.BeginTransactionAsync(timeout.Token);
            // The commit waits for the synchronous standby only if the transaction wrote WAL before its commit record:
            // an xid alone (txid_current()) commits at once even with the standby gone. A transactional logical message
            // is WAL that any role may write and that touches no table.
            await using var probe = new NpgsqlCommand("select pg_logical_emit_message(true, 'claimledger', 'commit probe')", connection, transaction);
            await probe.ExecuteScalarAsync(timeout.Token);
            await transaction.CommitAsync(timeout.Token);
            // A cancelled wait for the standby still reports the (local) commit; only a prompt one counts.
            return !timeout.IsCancellationRequested;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string Key(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { TargetSessionAttributes = null }.ConnectionString;

    private static List<NpgsqlConnectionStringBuilder> Hosts(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(host =>
        {
            var colon = host.LastIndexOf(':');
            var single = new NpgsqlConnectionStringBuilder(connectionString)
            {
                TargetSessionAttributes = null, Pooling = false, Timeout = 2,
                Host = colon > 0 && !host.EndsWith(']') ? host[..colon] : host,
            };
            if (colon > 0 && int.TryParse(host[(colon + 1)..], out var port))
            {
                single.Port = port;
            }

            return single;
        }).ToList();
    }
}
