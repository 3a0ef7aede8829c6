using ClaimLedger.Claims;
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

    private async Task<long> StoredCountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection((await TestCluster.GetAsync()).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", _ledger.Schema, StringComparison.Ordinal), connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
