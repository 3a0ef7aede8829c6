using System.Collections.Concurrent;
using Marten;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Npgsql multi-host connection strings (<c>Host=a:5432,b:5432;Target Session Attributes=primary</c>) for Marten.
/// A plain <see cref="NpgsqlConnection"/> accepts them as they are, but a data source built from one may not name its
/// target, so Marten gets the hosts' shared data source narrowed to the target. One per connection string and process,
/// because the data source keeps the pools and what it learnt about which host is primary.
/// </summary>
public static class MultiHostConnections
{
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> DataSources = new();

    public static void Use(StoreOptions opts, string connectionString)
    {
        if (IsMultiHostWithTarget(new NpgsqlConnectionStringBuilder(connectionString)))
        {
            opts.Connection(DataSource(connectionString));
        }
        else
        {
            opts.Connection(connectionString);
        }
    }

    /// <summary>The process's data source for a connection string of one host or several (then narrowed to its target), cleared with the others.</summary>
    public static NpgsqlDataSource DataSource(string connectionString) => DataSources.GetOrAdd(connectionString, static c =>
    {
        var builder = new NpgsqlConnectionStringBuilder(c);
        if (!IsMultiHostWithTarget(builder))
        {
            return NpgsqlDataSource.Create(builder);
        }

        var target = Parse(builder.TargetSessionAttributes!);
        builder.TargetSessionAttributes = null;
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).BuildMultiHost().WithTargetSession(target);
    });

    private static bool IsMultiHostWithTarget(NpgsqlConnectionStringBuilder builder) =>
        builder.TargetSessionAttributes is { Length: > 0 } && (builder.Host ?? "").Contains(',', StringComparison.Ordinal);

    /// <summary>
    /// Drops every idle pooled connection, of plain connections and of the data sources given to Marten alike: after a
    /// failover those lead to a server that is gone, and each would fail its next request once.
    /// </summary>
    public static void ClearPools()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var dataSource in DataSources.Values)
        {
            dataSource.Clear();
        }
    }

    private static TargetSessionAttributes Parse(string target) => target.ToLowerInvariant() switch
    {
        "any" => TargetSessionAttributes.Any,
        "primary" => TargetSessionAttributes.Primary,
        "standby" => TargetSessionAttributes.Standby,
        "prefer-primary" => TargetSessionAttributes.PreferPrimary,
        "prefer-standby" => TargetSessionAttributes.PreferStandby,
        "read-write" => TargetSessionAttributes.ReadWrite,
        "read-only" => TargetSessionAttributes.ReadOnly,
        _ => throw new ArgumentException($"Target Session Attributes '{target}' is not one Npgsql knows (primary, standby, prefer-standby, …).", nameof(target)),
    };
}
