using ClaimLedger.Seeds;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>The streamed COPY import of new claims against the step-by-step import it must be indistinguishable from.</summary>
public class BulkImportTests(LedgerFixture bulk) : IClassFixture<LedgerFixture>
{
    private static readonly string[] ComparedRows =
    [
        // Event ids are time-ordered random UUIDs and the entry hashes cover them, so those two differ by design.
        "select stream_id, version, type, data, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, user_name, is_archived from {0}.mt_events where stream_id <> 'mt_tombstone' order by stream_id, version",
        "select id, type, version, tenant_id, compacted_version, is_archived from {0}.mt_streams where id <> 'mt_tombstone' order by id",
        "select id, data, mt_dotnet_type, mt_version, recorded_at, status, verdictrating from {0}.mt_doc_claim order by id",
        "select id, data - 'registeredAt' from {0}.mt_doc_sourcedocument where id not in ('cnn-2023', 'gt-2018', 'desk-note') order by id",
        "select stream_id, version, encoding, length(entry_hash), prev_hash = '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea from {0}.cl_ledger_entries order by stream_id, version",
    ];

    [Fact]
    public async Task the_bulk_import_stores_exactly_what_the_step_by_step_import_stores()
    {
        var bulkSummary = await bulk.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));
        await WithLedgerAsync(async stepwise =>
        {
            // A single file is imported step by step; the folder then finds its claims present and goes step by step too.
            await stepwise.SendAsync(new ImportSeeds.Command(Path.Combine(SeedImportTests.Seeds, "claims.json")));
            var stepwiseSummary = await stepwise.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds));

            Assert.Equal(0, bulkSummary.StepsAlreadyPresent);
            Assert.Equal(bulkSummary.Claims, stepwiseSummary.StepsAlreadyPresent);
            Assert.Equal(bulkSummary.StepsApplied, stepwiseSummary.StepsAlreadyPresent + stepwiseSummary.StepsApplied);
            await AssertSameRowsAsync(stepwise, bulk);
        });

        await AssertIntactAsync(bulk);
    }

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
                await AssertSameRowsAsync(onePass, split);
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
            Assert.Empty(await RowsAsync(ledger, $"select 1 from {ledger.Schema}.cl_ledger_entries"));
        });
    }

    private static async Task AssertSameRowsAsync(LedgerFixture expectedLedger, LedgerFixture actualLedger)
    {
        foreach (var query in ComparedRows)
        {
            var expected = await RowsAsync(expectedLedger, string.Format(System.Globalization.CultureInfo.InvariantCulture, query, expectedLedger.Schema));
            var actual = await RowsAsync(actualLedger, string.Format(System.Globalization.CultureInfo.InvariantCulture, query, actualLedger.Schema));
            Assert.True(expected.Count > 5, $"too few rows to compare for: {query}");
            Assert.Equal(expected, actual);
        }
    }

    private static async Task AssertIntactAsync(LedgerFixture ledger)
    {
        var verified = await ledger.SendAsync(new Ledger.VerifyLedger.Query());
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
        Assert.Equal(verified.Events, verified.Entries);
    }

    private static async Task WithLedgerAsync(Func<LedgerFixture, Task> test)
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
