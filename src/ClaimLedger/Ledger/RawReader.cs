using Npgsql;

namespace ClaimLedger.Ledger;

/// <summary>Verification reads the tables with plain SQL, not through Marten: a reader on its own connection, closed with it.</summary>
internal static class RawReader
{
    public static async Task<NpgsqlDataReader> OpenAsync(string connectionString, string sql, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteReaderAsync(System.Data.CommandBehavior.CloseConnection, ct);
    }
}
