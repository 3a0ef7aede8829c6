using ClaimLedger.Operations;
using ClaimLedger.Seeds;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

public class ReadModelRebuildTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task a_rebuild_restores_read_models_edited_or_deleted_by_hand_from_the_events_alone()
    {
        var imported = await ledger.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
        var before = await ReadModelsAsync();
        await SqlAsync($"update {ledger.Schema}.mt_doc_claim set data = jsonb_set(data, '{{statement}}', '\"edited by hand\"') where id = 'no-limits-partnership-declared-at-sco-summit'");
        await SqlAsync($"delete from {ledger.Schema}.mt_doc_claim where id = (select min(id) from {ledger.Schema}.mt_doc_claim)");
        Assert.NotEqual(before, await ReadModelsAsync());

        var rebuilt = await ledger.SendAsync(new RebuildReadModels.Command());

        Assert.Equal(before, await ReadModelsAsync());
        Assert.Equal(imported.Claims, rebuilt.Claims);
        Assert.Equal(await ledger.EventCountAsync(), rebuilt.Events);
        Assert.True((await ledger.SendAsync(new Ledger.VerifyLedger.Query())).Intact);
    }

    private async Task<List<(string Id, string Data, long Version)>> ReadModelsAsync()
    {
        await using var connection = new NpgsqlConnection(ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, data::text, mt_version from {ledger.Schema}.mt_doc_claim order by id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
