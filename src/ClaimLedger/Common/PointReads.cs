using System.Collections.Concurrent;
using System.Data;
using Marten;
using Npgsql;

namespace ClaimLedger.Common;

/// <summary>
/// The connections of the hottest reads: one stored document by id, as the UTF-8 JSON Marten stored (GET /claims/{id}).
/// Nothing run on them leaves state in the session (no SET, LISTEN, session locks or temporary tables), so a pooled
/// connection goes back without Npgsql's DISCARD ALL and keeps its statement prepared. Measured with pgbench here, the
/// reset and the re-planning were more than half of PostgreSQL's work per read (docs/benchmarks-analysis.md).
/// </summary>
public sealed class PointReads(NpgsqlDataSource dataSource, IDocumentStore store)
{
    private readonly ConcurrentDictionary<Type, string> _byId = new();

    /// <summary>
    /// The settings of these connections, over the hosts of the store's own connection string. The pool is a second one
    /// beside Marten's, so it is kept small: a read by id takes well under a millisecond, and 20 connections serve far
    /// more requests than two cores can, while the two pools stay near PostgreSQL's default of 100 connections.
    /// </summary>
    public static string ConnectionString(string storeConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(storeConnectionString) { NoResetOnClose = true, MaxAutoPrepare = 16, AutoPrepareMinUsages = 2 };
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, 20);
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        return builder.ConnectionString;
    }

    /// <summary>The document's JSON exactly as stored, or null when there is none with this id.</summary>
    public async Task<byte[]?> JsonByIdAsync<T>(string id, CancellationToken cancellationToken)
    {
        // The table is Marten's own mapping of the type, so this query cannot drift from where Marten stores it.
        var sql = _byId.GetOrAdd(typeof(T), type => $"select data from {store.Options.FindOrResolveDocumentType(type).TableName.QualifiedName} where id = $1");
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await reader.GetFieldValueAsync<byte[]>(0, cancellationToken) : null;
    }
}
