using System.Globalization;
using ClaimLedger.Common;
using ClaimLedger.Seeds;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Every column of the tables a ledger writes, compared between two ledgers that hold the same history written two ways.
/// Rows are read with <c>select *</c>, so a column added to the storage layout is compared without touching this file;
/// only the columns that differ by design are left out, each with the reason.
/// </summary>
internal static class StoredRows
{
    private sealed record Table(string Name, string OrderBy, string[] DifferByDesign, string Extra = "", string Where = "true");

    private static readonly Table[] Tables =
    [
        // Sequence numbers and event ids are assigned at write time (ids are time-ordered random UUIDs); a document's
        // registration is dated when it is written (seeds give documents no recorded time), so only its time may differ.
        new("mt_events", "stream_id, version", ["seq_id", "id", "data", "timestamp"], Where: "stream_id <> 'mt_tombstone'",
            Extra: ", data - 'registeredAt' as data_without_registration_time, case when stream_id like 'document:%' then null else timestamp end as time_unless_registration"),
        // When the stream row was written, not anything recorded about the claim.
        new("mt_streams", "id", ["timestamp", "created"], Where: "id <> 'mt_tombstone'"),
        new("mt_doc_claim", "id", ["mt_last_modified"]),
        // Registration time and Marten's random document version; the documents themselves must be equal.
        new("mt_doc_sourcedocument", "id", ["mt_last_modified", "mt_version", "data"], Extra: ", data - 'registeredAt' as data_without_registration_time"),
        // Positions follow commit order, and the hashes cover the random event ids; whether an entry starts its chain must agree.
        new("cl_ledger_entries", "stream_id, version", ["position", "event_id", "entry_hash", "prev_hash", "written_at"],
            Extra: ", prev_hash = '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea as starts_chain"),
    ];

    public static async Task AssertSameAsync(LedgerFixture expected, LedgerFixture actual, params string[] only)
    {
        foreach (var table in Tables.Where(t => only.Length == 0 || only.Contains(t.Name)))
        {
            var wanted = await ReadAsync(expected, table);
            var got = await ReadAsync(actual, table);
            Assert.True(wanted.Count > 5, $"too few rows in {table.Name} to compare");
            Assert.Equal(wanted.Count, got.Count);
            for (var i = 0; i < wanted.Count; i++)
            {
                Assert.Equal(wanted[i], got[i]);
            }
        }
    }

    public static async Task<List<SortedDictionary<string, string?>>> ReadAsync(LedgerFixture ledger, string table) =>
        await ReadAsync(ledger, Tables.Single(t => t.Name == table));

    private static async Task<List<SortedDictionary<string, string?>>> ReadAsync(LedgerFixture ledger, Table table)
    {
        // Both ledgers compared as their sequencers leave them: every committed entry numbered.
        await new Ledger.LedgerSequencer(ledger.Store).FlushAsync();
        await using var connection = new NpgsqlConnection(ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select *{table.Extra} from {ledger.Schema}.{table.Name} where {table.Where} order by {table.OrderBy}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<SortedDictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!table.DifferByDesign.Contains(reader.GetName(i)))
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i), CultureInfo.InvariantCulture);
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Writes a seeds folder the way the CLI and the API write: every document, claim and step sent as its own request
    /// through the normal write path, with the seed's recorded time and actor.
    /// </summary>
    public static async Task WriteThroughRequestsAsync(LedgerFixture ledger, string folder)
    {
        var seeds = SeedSet.Load(folder);
        Assert.Empty(seeds.Problems);
        foreach (var document in seeds.Documents)
        {
            await ledger.SendAsync(document.Command);
        }

        foreach (var claim in seeds.Claims)
        {
            await ledger.SendAsync<WriteResult>(claim.Command);
        }

        foreach (var step in seeds.Steps)
        {
            await ledger.SendAsync<WriteResult>(step.Command);
        }
    }

    public static async Task WithLedgerAsync(Func<LedgerFixture, Task> test)
    {
        var ledger = new LedgerFixture();
        await ledger.InitializeAsync();
        try
        {
            await test(ledger);
        }
        finally
        {
            await ledger.DisposeAsync();
        }
    }
}
