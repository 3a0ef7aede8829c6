using ClaimLedger.Common;
using ClaimLedger.Seeds;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>The two seed imports against the normal write path they must be indistinguishable from, column for column.</summary>
[Trait("Category", "Slow")]
public class BulkImportTests(LedgerFixture bulk) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task both_imports_store_exactly_what_the_normal_write_path_stores_for_the_same_requests()
    {
        await bulk.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
        await WithLedgerAsync(async written =>
        {
            await StoredRows.WriteThroughRequestsAsync(written, SeedImportTests.Seeds);
            await StoredRows.AssertSameAsync(written, bulk);
            await WithLedgerAsync(async stepwise =>
            {
                await stepwise.SendAsync(new ImportSeeds.Command(Path.Combine(SeedImportTests.Seeds, "claims.json")));
                await stepwise.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
                await StoredRows.AssertSameAsync(written, stepwise);
            });
        });

        await AssertIntactAsync(bulk);
    }

    [Fact]
    public async Task the_bulk_import_and_the_step_by_step_import_account_for_the_same_steps() =>
        await WithLedgerAsync(async bulkOnly =>
        {
            var bulkSummary = await bulkOnly.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
            await WithLedgerAsync(async stepwise =>
            {
                // A single file is imported step by step; the folder then finds its claims present and goes step by step too.
                await stepwise.SendAsync(new ImportSeeds.Command(Path.Combine(SeedImportTests.Seeds, "claims.json")));
                var stepwiseSummary = await stepwise.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));

                Assert.Equal(0, bulkSummary.StepsAlreadyPresent);
                Assert.Equal(bulkSummary.Claims, stepwiseSummary.StepsAlreadyPresent);
                Assert.Equal(bulkSummary.StepsApplied, stepwiseSummary.StepsAlreadyPresent + stepwiseSummary.StepsApplied);
            });
        });

    [Fact]
    public async Task seeds_split_by_claim_into_parts_are_stored_exactly_as_seeds_decided_in_one_pass()
    {
        await WithLedgerAsync(async onePass =>
        {
            var whole = await onePass.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
            await WithLedgerAsync(async split =>
            {
                var partBytes = SeedPartitions.ClaimBytesPerPart;
                SeedPartitions.ClaimBytesPerPart = 4_096;
                try
                {
                    Assert.True(SeedPartitions.For(SeedSet.Open(SeedImportTests.Seeds)) is { Count: > 5 }, "the import should split the seeds");
                    var inParts = await split.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
                    Assert.Equal((whole.Claims, whole.StepsApplied), (inParts.Claims, inParts.StepsApplied));
                }
                finally
                {
                    SeedPartitions.ClaimBytesPerPart = partBytes;
                }

                Assert.True(SeedPartitions.For(SeedSet.Open(SeedImportTests.Seeds)) is null, "the seeds themselves fit one part");
                await StoredRows.AssertSameAsync(onePass, split);
                await AssertIntactAsync(split);
            });
        });
    }

    [Fact]
    public async Task a_broken_rule_in_one_part_refuses_the_whole_split_import_and_writes_nothing()
    {
        var folder = SeedImportTests.CopyOfSeeds();
        SeedImportTests.Break(folder, "broken rule");
        await WithLedgerAsync(async ledger =>
        {
            var partBytes = SeedPartitions.ClaimBytesPerPart;
            SeedPartitions.ClaimBytesPerPart = 4_096;
            try
            {
                var refused = await Assert.ThrowsAsync<SeedValidationException>(() => ledger.SendAsync(new ImportSeeds.Command(folder)));
                Assert.Contains(refused.Problems, p => p.File == "scenario.json" && p.Field == "action");
            }
            finally
            {
                SeedPartitions.ClaimBytesPerPart = partBytes;
                Directory.Delete(folder, recursive: true);
            }

            Assert.Equal(0, await ledger.EventCountAsync());
            Assert.Empty(await RowsAsync(ledger,
                $"select 1 from {ledger.Schema}.cl_ledger_entries where {LedgerStreamIds.ClaimsOnlySql("stream_id")} " +
                $"union all select 1 from {ledger.Schema}.cl_ledger_queue where {LedgerStreamIds.ClaimsOnlySql("stream_id")}"));
        });
    }

    [Fact]
    public async Task the_bulk_import_hashes_its_entries_with_encoding_2_so_an_import_mark_removed_by_sql_is_named() =>
        await WithLedgerAsync(async ledger =>
        {
            await ledger.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
            var encodings = await RowsAsync(ledger, $"select distinct encoding from {ledger.Schema}.cl_ledger_queue union select distinct encoding from {ledger.Schema}.cl_ledger_entries");
            var marked = await RowsAsync(ledger, $"select stream_id, version from {ledger.Schema}.mt_events where headers ? 'imported' order by seq_id limit 1");
            var (claim, version) = ((string)marked[0][0]!, (long)marked[0][1]!);

            await Forger.SqlAsync(ledger, $"update {{s}}.mt_events set headers = null where stream_id = '{claim}' and version = {version}");

            Assert.Equal([2], encodings.Select(row => (int)row[0]!));
            var broken = Assert.Single((await ledger.SendAsync(new Ledger.VerifyLedger.Query())).Breaks);
            Assert.Equal((claim, version, Ledger.BreakKinds.PayloadEdited), (broken.ClaimId, broken.Version, broken.Kind));
        });

    private static async Task AssertIntactAsync(LedgerFixture ledger)
    {
        var verified = await ledger.SendAsync(new Ledger.VerifyLedger.Query());
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
        Assert.Equal(verified.Events, verified.Entries);
    }

    private static Task WithLedgerAsync(Func<LedgerFixture, Task> test) => StoredRows.WithLedgerAsync(test);

    private static async Task<List<List<object?>>> RowsAsync(LedgerFixture ledger, string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<List<object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToList());
        }

        return rows;
    }
}
