using ClaimLedger.Access;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using ClaimLedger.Operations;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A ledger written before findings existed, exactly as that build stored it (its rows dumped from a real run: a claim
/// recorded, its amount and statement "corrected", then rated), read by today's build.
/// </summary>
public class UpcastingTests : IAsyncLifetime
{
    private const string Claim = "trade-2022";
    private readonly LedgerFixture _ledger = new() { RegistersDocuments = false };

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        var rows = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ledger-written-before-findings.sql"));
        await Forger.SqlAsync(_ledger, rows.Replace("{schema}", _ledger.Schema, StringComparison.Ordinal));
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    /// <summary>What db migrate does after the schema: rebuild outdated read models, adopt documents and keys kept in tables only.</summary>
    private async Task<RebuildReadModels.Result?> UpgradeAsync()
    {
        var owner = (await TestCluster.GetAsync()).ConnectionString;
        var rebuilt = await UpgradeReadModels.IfOutdatedAsync(owner, _ledger.Schema);
        await AdoptRecords.IfNeededAsync(owner, _ledger.Schema, TimeProvider.System);
        return rebuilt;
    }

    [Fact]
    public async Task stored_corrections_are_read_as_findings_and_the_claim_stays_as_published()
    {
        await UpgradeAsync();

        var claim = await _ledger.SendAsync(new GetClaim.Query(Claim));

        Assert.Equal("China-Russia trade hit 1.28 trillion yuan in 2022", claim.Statement);
        Assert.Equal("1280000000000", claim.Value.Field("amount"));
        Assert.Equal(
            [("amount", "1280000000000", "1300000000000"), ("statement", "China-Russia trade hit 1.28 trillion yuan in 2022", "China-Russia trade hit 1.3 trillion yuan in 2022")],
            claim.Established.Select(f => (f.Field, f.Claimed, f.Established)));
        Assert.True(claim.DiffersFromClaimed);
        Assert.Equal(Rating.MostlyTrue, claim.Verdict!.Rating);
    }

    [Fact]
    public async Task history_replay_and_as_of_read_the_stored_corrections_as_findings()
    {
        await UpgradeAsync();

        var history = await _ledger.SendAsync(new ClaimHistory.Query(Claim));
        var replay = await _ledger.SendAsync(new ClaimReplay.Query(Claim));
        var beforeTheVerdict = await _ledger.SendAsync(new ClaimAsOf.Query(Claim, Version: 3));

        Assert.Equal([nameof(ClaimRecorded), nameof(FindingRecorded), nameof(FindingRecorded), nameof(VerdictIssued)], history.Select(e => e.Type));
        Assert.Equal("Customs give 1.3 trillion", history[1].Reason);
        Assert.Equal(4, replay.Count);
        Assert.Equal(2, beforeTheVerdict.Findings.Count);
        Assert.Null(beforeTheVerdict.Verdict);
    }

    [Fact]
    public async Task the_stored_payloads_and_hash_chain_are_untouched_and_verify_passes_after_the_upgrade()
    {
        var beforeUpgrade = await _ledger.SendAsync(new VerifyLedger.Query(null));

        var rebuilt = await UpgradeAsync();
        var again = await UpgradeAsync();
        var afterUpgrade = await _ledger.SendAsync(new VerifyLedger.Query(null));

        // The old read model showed the "corrected" statement as if it had been published; the upgrade rebuilds it.
        Assert.Contains(beforeUpgrade.Breaks, b => b.ClaimId == Claim && b.Kind == BreakKinds.ReadModelEdited);
        Assert.Equal(1, rebuilt!.Claims);
        Assert.Null(again);
        Assert.True(afterUpgrade.Intact, string.Join("; ", afterUpgrade.Breaks));
        // The claim's four entries and the adopted registrations of the two documents it cites.
        Assert.Equal(6, afterUpgrade.Entries);
        Assert.Equal(2, await StoredCountAsync("select count(*) from {s}.mt_events where type = 'claim_corrected'"));
    }

    [Fact]
    public async Task a_claim_written_before_findings_takes_new_writes_on_the_same_chain()
    {
        await UpgradeAsync();

        await _ledger.SendAsync(new RecordFinding.Command(
            Claim, "period", "2022", "the customs year", [new("customs-2023", 14, 62, "China-Russia trade in 2022 was 1.3 trillion yuan")], 4, LedgerFixture.MeiLin));

        var report = await _ledger.SendAsync(new VerifyLedger.Query(null));
        Assert.True(report.Intact, string.Join("; ", report.Breaks));
        Assert.Equal(7, report.Entries);
    }

    [Fact]
    public async Task documents_and_keys_of_the_earlier_build_are_adopted_into_the_ledger_once_marked_as_adopted()
    {
        // The earlier build kept keys in their table alone, one of them revoked and hashed over its secret only.
        var secret = new string('k', 43);
        var created = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var active = new ApiKey("00000000aaaa", "Old Checker", Role.Checker, "", created, "old build", null);
        var revoked = new ApiKey("00000000bbbb", "Old Auditor", Role.Auditor, "", created, "old build", created.AddDays(3));
        await using (var session = _ledger.Store.LightweightSession())
        {
            session.Insert(active with { SecretSha256 = active.Verifier(secret) }, revoked with { SecretSha256 = revoked.Verifier(secret) });
            await session.SaveChangesAsync();
        }

        var before = await _ledger.SendAsync(new VerifyLedger.Query(null));
        await UpgradeAsync();
        var adoptedAgain = await AdoptRecords.IfNeededAsync((await TestCluster.GetAsync()).ConnectionString, _ledger.Schema, TimeProvider.System);
        var after = await _ledger.SendAsync(new VerifyLedger.Query(null));

        Assert.Equal(
            [("api-key:00000000aaaa", BreakKinds.ApiKeyUnissued), ("api-key:00000000bbbb", BreakKinds.ApiKeyUnissued),
             ("document:cnn-2023", BreakKinds.DocumentUnregistered), ("document:customs-2023", BreakKinds.DocumentUnregistered)],
            before.Breaks.Where(b => !b.ClaimId.StartsWith("trade", StringComparison.Ordinal)).Select(b => (b.ClaimId, b.Kind)).Order());
        Assert.Null(adoptedAgain);
        Assert.True(after.Intact, string.Join("; ", after.Breaks));
        // Four claim events, two registrations, two issues and one revocation.
        Assert.Equal(9, after.Entries);
        Assert.Equal("Old Checker", (await _ledger.SendAsync(new AuthenticateApiKey.Query($"clk_{active.Id}_{secret}")))?.Person);
        Assert.Null(await _ledger.SendAsync(new AuthenticateApiKey.Query($"clk_{revoked.Id}_{secret}")));

        await using var query = _ledger.Store.QuerySession();
        var registration = (DocumentRegistered)(await query.Events.FetchStreamAsync("document:cnn-2023")).Single().Data;
        var revocation = (await query.Events.FetchStreamAsync("api-key:00000000bbbb")).Select(e => e.Data).OfType<ApiKeyRevoked>().Single();
        Assert.NotNull(registration.AdoptedAt);
        Assert.True(registration.AdoptedAt > registration.RegisteredAt);
        Assert.Equal((revoked.RevokedAt, registration.AdoptedAt), (revocation.RevokedAt, revocation.AdoptedAt));
    }

    [Fact]
    public async Task a_document_inserted_by_sql_after_the_adoption_is_never_adopted_by_a_later_migration()
    {
        await UpgradeAsync();
        await Forger.SqlAsync(_ledger, "insert into {s}.mt_doc_sourcedocument (id, data, mt_last_modified, mt_version, mt_dotnet_type) " +
                                       "select 'phantom-source', jsonb_set(data, '{id}', '\"phantom-source\"'), mt_last_modified, gen_random_uuid(), mt_dotnet_type " +
                                       "from {s}.mt_doc_sourcedocument where id = 'cnn-2023'");

        await UpgradeAsync();
        var report = await _ledger.SendAsync(new VerifyLedger.Query(null));

        var found = Assert.Single(report.Breaks);
        Assert.Equal(("document:phantom-source", BreakKinds.DocumentUnregistered), (found.ClaimId, found.Kind));
    }

    private async Task<long> StoredCountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection((await TestCluster.GetAsync()).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", _ledger.Schema, StringComparison.Ordinal), connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
