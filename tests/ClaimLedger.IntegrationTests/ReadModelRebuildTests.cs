using ClaimLedger.Operations;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

public class ReadModelRebuildTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task a_rebuild_gives_every_read_model_exactly_the_row_the_normal_write_gave_it_even_after_edits_by_hand()
    {
        await StoredRows.WriteThroughRequestsAsync(ledger, SeedImportTests.Seeds);
        var written = await StoredRows.ReadAsync(ledger, "mt_doc_claim");
        await SqlAsync($"update {ledger.Schema}.mt_doc_claim set data = jsonb_set(data, '{{statement}}', '\"edited by hand\"'), verdictrating = 'True' where id = 'no-limits-partnership-declared-at-sco-summit'");
        await SqlAsync($"delete from {ledger.Schema}.mt_doc_claim where id = (select min(id) from {ledger.Schema}.mt_doc_claim)");
        Assert.NotEqual(written, await StoredRows.ReadAsync(ledger, "mt_doc_claim"));

        var rebuilt = await ledger.SendAsync(new RebuildReadModels.Command());

        Assert.Equal(written, await StoredRows.ReadAsync(ledger, "mt_doc_claim"));
        Assert.Equal(written.Count, rebuilt.Claims);
        Assert.Equal(await ledger.EventCountAsync(), rebuilt.Events);
        Assert.True((await ledger.SendAsync(new Ledger.VerifyLedger.Query())).Intact);
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
