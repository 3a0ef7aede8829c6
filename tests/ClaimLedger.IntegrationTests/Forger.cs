using ClaimLedger.Ledger;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>What someone with full rights on the database can do behind the ledger's back, for tests to attempt.</summary>
internal static class Forger
{
    /// <summary>
    /// Runs SQL in the ledger's schema (<c>{s}</c>), optionally with the guard triggers of the ledger's and the published checkpoints' tables off, as a superuser
    /// can. The forger strikes at the log as a running server leaves it: sequenced, unless <paramref name="beforeSequencing"/>.
    /// </summary>
    public static async Task SqlAsync(LedgerFixture ledger, string sql, bool bypassLedgerGuard = false, bool beforeSequencing = false)
    {
        if (!beforeSequencing)
        {
            await new LedgerSequencer(ledger.Store).FlushAsync();
        }

        var cluster = await TestCluster.GetAsync();
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        string[] guarded = ["cl_ledger_entries", "cl_ledger_queue", CheckpointSchema.CheckpointsTable, CheckpointSchema.CosignaturesTable];
        var statements = bypassLedgerGuard
            ? string.Concat(guarded.Select(t => $"alter table {ledger.Schema}.{t} disable trigger user; ")) + sql + "; "
              + string.Concat(guarded.Select(t => $"alter table {ledger.Schema}.{t} enable trigger user; "))
            : sql;
        await using var command = new NpgsqlCommand(statements.Replace("{s}", ledger.Schema, StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What a careful forger does: recompute every entry hash of the claim from the edited rows and rewrite the ledger.</summary>
    public static async Task RehashChainAsync(LedgerFixture ledger, string claim)
    {
        var rows = new LedgerRows(ledger.Options);
        var events = (await rows.EventsAsync(default)).Where(e => e.StreamId == claim).OrderBy(e => e.Version).ToList();
        var encodings = (await rows.EntriesAsync(default)).Where(e => e.StreamId == claim).ToDictionary(e => e.Version, e => e.Encoding);
        var previous = EntryHash.Genesis;
        foreach (var e in events)
        {
            var hash = EntryHash.Compute(e.Fields, previous, encodings.GetValueOrDefault(e.Version, EntryHash.EncodingVersion));
            await SqlAsync(ledger, $"update {{s}}.cl_ledger_entries set entry_hash = '\\x{Convert.ToHexStringLower(hash)}', prev_hash = '\\x{Convert.ToHexStringLower(previous)}' " +
                                   $"where stream_id = '{claim}' and version = {e.Version}", bypassLedgerGuard: true);
            previous = hash;
        }
    }
}
