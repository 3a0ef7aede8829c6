using Marten;
using Npgsql;

namespace ClaimLedger.Ledger;

/// <summary>How far the sequenced log has got: its size, and the committed entries still waiting for a position.</summary>
/// <param name="OldestWaiting">How long the oldest unsequenced entry has waited since it was written; zero when none waits.</param>
public sealed record SequencerStatus(long Sequenced, long Unsequenced, TimeSpan OldestWaiting);

/// <summary>
/// Gives committed ledger entries their global positions, in batches, after their writers have committed: the server runs
/// it continuously (ClaimLedger.Api.LedgerSequencerService) and the CLI flushes it before a read of the log.
/// The numbering itself is <c>cl_ledger_sequence</c> in the database (<see cref="SequencerSchema"/>), so every caller, in
/// any process, numbers the same way and only one at a time.
/// </summary>
public sealed class LedgerSequencer(IDocumentStore store)
{
    /// <summary>Entries numbered per transaction: big enough to keep up with an import, small enough to stay short.</summary>
    public const int BatchSize = 10_000;

    private string Schema => store.Options.DatabaseSchemaName;

    /// <summary>Numbers up to <paramref name="max"/> committed entries, oldest ticket first; returns how many.</summary>
    public async Task<long> SequenceBatchAsync(int max = BatchSize, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var sequence = new NpgsqlCommand($"select {Schema}.{SequencerSchema.SequenceFunction}(@max)", connection);
        sequence.Parameters.AddWithValue("max", max);
        return (long)(await sequence.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Numbers every entry committed before it started, and any committed while it ran; returns how many.</summary>
    public async Task<long> FlushAsync(CancellationToken ct = default)
    {
        long total = 0;
        long moved;
        do
        {
            moved = await SequenceBatchAsync(BatchSize, ct);
            total += moved;
        }
        while (moved == BatchSize);

        return total;
    }

    public async Task<SequencerStatus> StatusAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var status = new NpgsqlCommand(
            $"select coalesce((select max(position) from {Schema}.{LedgerSchema.TableName}), 0), " +
            $"(select count(*) from {Schema}.{SequencerSchema.QueueTable}), " +
            $"coalesce(extract(epoch from clock_timestamp() - (select min(written_at) from {Schema}.{SequencerSchema.QueueTable}))::float8, 0)", connection);
        await using var reader = await status.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SequencerStatus(reader.GetInt64(0), reader.GetInt64(1), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(2))));
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
