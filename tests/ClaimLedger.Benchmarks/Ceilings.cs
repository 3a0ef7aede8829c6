using System.Diagnostics;
using ClaimLedger.Ledger;
using Npgsql;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// What this machine allows before any of ClaimLedger's own work: the rate at which PostgreSQL takes an imported
/// ledger's rows into the ledger's real tables (their indexes, the events' foreign key, no client logic at all),
/// and the rate at which both cores re-hash events already in memory.
/// </summary>
internal static class Ceilings
{
    /// <summary>
    /// Copies the streams, events and ledger rows of <paramref name="from"/> into the empty ledger schema <paramref name="into"/>,
    /// as raw binary COPY piped from one connection to another; returns events per second.
    /// </summary>
    public static async Task<double> LedgerTablesCopyRateAsync(string connectionString, string from, string into)
    {
        await using var source = new NpgsqlConnection(connectionString);
        await using var target = new NpgsqlConnection(connectionString);
        await source.OpenAsync();
        await target.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using var transaction = await target.BeginTransactionAsync();
        long events = 0;
        foreach (var (table, columns) in new[]
        {
            ("mt_streams", "id, type, version, timestamp, created, tenant_id, compacted_version, is_archived"),
            ("mt_events", "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, user_name, is_archived"),
            (LedgerSchema.TableName, "position, stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at"),
        })
        {
            await using (var reader = await source.BeginRawBinaryCopyAsync($"copy {from}.{table} ({columns}) to stdout (format binary)"))
            await using (var writer = await target.BeginRawBinaryCopyAsync($"copy {into}.{table} ({columns}) from stdin (format binary)"))
            {
                await reader.CopyToAsync(writer);
            }

            if (table == "mt_events")
            {
                await using var count = new NpgsqlCommand($"select count(*) from {into}.mt_events", target);
                events = (long)(await count.ExecuteScalarAsync())!;
            }
        }

        await transaction.CommitAsync();
        return events / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Re-hashes up to <paramref name="limit"/> stored events already in memory on every core; returns events per second.</summary>
    public static async Task<double> RehashRateAsync(LedgerRows rows, int limit)
    {
        var events = new List<EventRow>(limit);
        await foreach (var row in rows.StreamEventsAsync(CancellationToken.None))
        {
            events.Add(row);
            if (events.Count == limit)
            {
                break;
            }
        }

        var previous = new byte[32];
        Parallel.ForEach(events.Take(20_000), e => EntryHash.Compute(e.Fields, previous, EntryHash.EncodingVersion));
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(events, e => EntryHash.Compute(e.Fields, previous, EntryHash.EncodingVersion));
        return events.Count / clock.Elapsed.TotalSeconds;
    }
}
