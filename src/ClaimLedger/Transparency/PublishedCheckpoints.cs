using ClaimLedger.Common;
using ClaimLedger.Ledger;
using Npgsql;

namespace ClaimLedger.Transparency;

/// <summary>
/// The checkpoints the log published and the cosignatures witnesses handed in, in the database
/// (<see cref="CheckpointSchema"/>), so every server over one ledger serves the same latest checkpoint with every
/// cosignature gathered for it, through restarts. The latest is the largest tree published.
/// </summary>
public sealed class PublishedCheckpoints(ClaimLedgerOptions options)
{
    private string Checkpoints => $"{options.Schema}.{CheckpointSchema.CheckpointsTable}";
    private string Cosignatures => $"{options.Schema}.{CheckpointSchema.CosignaturesTable}";

    /// <summary>The latest checkpoint with its cosignatures, or null when none is published.</summary>
    public Task<SignedCheckpoint?> LatestAsync(CancellationToken ct) =>
        ReadAsync($"select origin, tree_size, note from {Checkpoints} order by tree_size desc, published_at desc limit 1", [], ct);

    /// <summary>
    /// Publishes <paramref name="signed"/> if its tree is larger than every one published, in one statement, and
    /// returns what is then the latest: a publisher whose view of the log is behind another's replaces nothing.
    /// </summary>
    public async Task<SignedCheckpoint> PublishAsync(SignedCheckpoint signed, CancellationToken ct)
    {
        // Publishers that read the same latest size race on the unique (origin, extends_size): one inserts, the others'
        // inserts do nothing once it commits. A loser with a larger tree than the winner's tries again after it.
        const int Attempts = 8;
        for (var attempt = 1; ; attempt++)
        {
            await InsertIfLargerAsync(signed, ct);
            var latest = await LatestAsync(ct) ?? throw new InvalidOperationException("no checkpoint is stored right after one was published");
            if (latest.Checkpoint.Size >= signed.Checkpoint.Size || attempt == Attempts)
            {
                return latest;
            }
        }
    }

    private async Task InsertIfLargerAsync(SignedCheckpoint signed, CancellationToken ct)
    {
        var checkpoint = signed.Checkpoint;
        await using var connection = await OpenAsync(ct);
        await using var insert = new NpgsqlCommand(
            $"""
            insert into {Checkpoints} (origin, tree_size, root_hash, extends_size, note)
            select @origin, @size, @root, latest.size, @note
            from (select coalesce(max(tree_size), -1) as size from {Checkpoints} where origin = @origin) latest
            where latest.size < @size and not exists (select 1 from {Checkpoints} where tree_size > @size)
            on conflict do nothing
            """, connection);
        insert.Parameters.AddWithValue("origin", checkpoint.Origin);
        insert.Parameters.AddWithValue("size", checkpoint.Size);
        insert.Parameters.AddWithValue("root", checkpoint.RootHash);
        insert.Parameters.AddWithValue("note", signed.Note.Encoded);
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Keeps <paramref name="cosignatures"/> (already verified) on the published checkpoint they cosign, once per
    /// witness key, and returns that checkpoint with every cosignature it has; null when no such checkpoint was published.
    /// </summary>
    public async Task<SignedCheckpoint?> AddCosignaturesAsync(Checkpoint cosigned, IReadOnlyList<(NoteSignature Signature, DateTimeOffset Time)> cosignatures, CancellationToken ct)
    {
        await using (var connection = await OpenAsync(ct))
        {
            await using var insert = new NpgsqlCommand(
                $"""
                insert into {Cosignatures} (origin, tree_size, witness, key_id, line, cosigned_at)
                select c.origin, c.tree_size, w.witness, w.key_id, w.line, w.cosigned_at
                from {Checkpoints} c, unnest(@witnesses, @keyIds, @lines, @times) as w(witness, key_id, line, cosigned_at)
                where c.origin = @origin and c.tree_size = @size and c.root_hash = @root
                on conflict do nothing
                """, connection);
            insert.Parameters.AddWithValue("origin", cosigned.Origin);
            insert.Parameters.AddWithValue("size", cosigned.Size);
            insert.Parameters.AddWithValue("root", cosigned.RootHash);
            insert.Parameters.AddWithValue("witnesses", cosignatures.Select(c => c.Signature.KeyName).ToArray());
            insert.Parameters.AddWithValue("keyIds", cosignatures.Select(c => (long)c.Signature.KeyId).ToArray());
            insert.Parameters.AddWithValue("lines", cosignatures.Select(c => c.Signature.Line.TrimEnd('\n')).ToArray());
            insert.Parameters.AddWithValue("times", cosignatures.Select(c => c.Time.UtcDateTime).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
        }

        return await ReadAsync($"select origin, tree_size, note from {Checkpoints} where origin = @origin and tree_size = @size and root_hash = @root",
            [new("origin", cosigned.Origin), new("size", cosigned.Size), new("root", cosigned.RootHash)], ct);
    }

    /// <summary>The checkpoint the query selects (one row: origin, tree size, note), with its cosignature lines appended in the order they arrived.</summary>
    private async Task<SignedCheckpoint?> ReadAsync(string selectCheckpoint, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select c.note || coalesce((select string_agg(w.line || E'\n', '' order by w.received_at, w.witness, w.key_id)
                                       from {Cosignatures} w where w.origin = c.origin and w.tree_size = c.tree_size), '')
            from ({selectCheckpoint}) c
            """, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(ct) is string note ? Open(note) : null;
    }

    private static SignedCheckpoint Open(string stored)
    {
        var note = SignedNote.Parse(stored);
        return new SignedCheckpoint(Checkpoint.Parse(note.Text), note);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
