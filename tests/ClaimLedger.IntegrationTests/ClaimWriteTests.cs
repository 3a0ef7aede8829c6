using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

public class ClaimWriteTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task a_recorded_claim_is_readable_with_its_normalized_value_and_appearance()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var claim = await ledger.SendAsync(new GetClaim.Query(id));

        Assert.Equal(new QuantityValue("1280000000000", "yuan", "2022"), claim.Value);
        Assert.Equal("cnn-2023", claim.Appearance.DocumentId);
        Assert.Equal("CNN", claim.Appearance.Publisher);
        Assert.Equal(1, claim.Version);
        Assert.Equal("Mei Lin", claim.RecordedBy);
    }

    [Fact]
    public async Task without_an_id_the_claim_id_is_derived_from_the_statement()
    {
        var result = await ledger.SendAsync(new RecordClaim.Command(null, ClaimKind.Event, "Wang Yi visited Moscow on Wednesday",
            new Dictionary<string, string?> { ["what"] = "Wang Yi visits Moscow", ["date"] = "2023-02-22" }, Cnn("Wang Yi visited Moscow"), MeiLin));

        Assert.Equal("wang-yi-visited-moscow-on-wednesday", result.ClaimId);
    }

    [Fact]
    public async Task a_second_claim_with_the_same_id_is_refused()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.RecordTradeClaimAsync(id));

        Assert.Equal("duplicate-claim-id", refusal.Rule);
    }

    [Fact]
    public async Task an_excerpt_that_does_not_match_the_document_is_refused_and_nothing_is_written()
    {
        var before = await ledger.EventCountAsync();
        var wrong = Cnn("trade hit 1.28 trillion yuan") with { Excerpt = "trade hit 1.82 trillion yuan" };

        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(new RecordClaim.Command(
            "trade-wrong-span", ClaimKind.Statement, "x", new Dictionary<string, string?>(), wrong, MeiLin)));

        Assert.Equal("appearance.excerpt", invalid.Errors.Single().Field);
        Assert.Contains("trade hit 1.28 trillion yuan", invalid.Errors.Single().Message);
        Assert.Equal(before, await ledger.EventCountAsync());
    }

    [Fact]
    public async Task a_span_outside_the_document_is_refused()
    {
        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(new RecordClaim.Command(
            "trade-outside", ClaimKind.Statement, "x", new Dictionary<string, string?>(), new SourceRef("cnn-2023", 90, 500, "x"), MeiLin)));

        Assert.Equal("appearance.end", invalid.Errors.Single().Field);
    }

    [Fact]
    public async Task a_reference_to_an_unregistered_document_is_refused()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(
            new DisputeClaim.Command(id, "why", [new SourceRef("no-such-doc", 0, 1, "x")], null, MeiLin)));

        Assert.Equal("evidence[0].document", invalid.Errors.Single().Field);
    }

    [Fact]
    public async Task bad_input_is_refused_before_any_handler_runs()
    {
        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(
            new IssueVerdict.Command("Not A Slug", (Rating)42, "", [], -1, MeiLin)));

        Assert.Equal(["claimId", "rating", "rationale", "expectedVersion"], invalid.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task a_corroboration_by_another_publisher_is_recorded_and_one_by_the_same_publisher_is_refused()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var corroborated = await ledger.SendAsync(new CorroborateClaim.Command(id, GlobalTimes("Bilateral trade reached 1.28 trillion yuan"), "same figure", null, MeiLin));
        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.SendAsync(
            new CorroborateClaim.Command(id, Cnn("China and Russia said"), null, null, MeiLin)));

        Assert.Equal(2, corroborated.Version);
        Assert.Equal("corroboration-not-independent", refusal.Rule);
        var claim = await ledger.SendAsync(new GetClaim.Query(id));
        Assert.Equal(ClaimStatus.Corroborated, claim.Status);
        Assert.Equal(["CNN", "Global Times"], claim.Publishers);
    }

    [Fact]
    public async Task a_source_is_attached_with_its_stance()
    {
        var id = await ledger.RecordTradeClaimAsync();

        await ledger.SendAsync(new AttachSource.Command(id, DeskNote(), Stance.Contradicts, "customs says otherwise", null, MeiLin));

        var source = (await ledger.SendAsync(new GetClaim.Query(id))).Sources.Single();
        Assert.Equal(Stance.Contradicts, source.Stance);
        Assert.Equal("ClaimLedger research desk", source.Source.Publisher);
    }

    [Fact]
    public async Task a_dispute_then_a_finding_then_a_verdict_are_kept_in_order_and_the_claim_stays_as_published()
    {
        var id = await ledger.RecordTradeClaimAsync();

        await ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, MeiLin));
        await ledger.SendAsync(new RecordFinding.Command(id, "amount", "1.3 trillion", "customs data", [DeskNote()], null, MeiLin));
        var verdict = await ledger.SendAsync(new IssueVerdict.Command(id, Rating.MostlyTrue, "close to customs data", [DeskNote()], 3, MeiLin));

        var claim = await ledger.SendAsync(new GetClaim.Query(id));
        Assert.Equal(4, verdict.Version);
        Assert.Equal("1280000000000", claim.Value.Field("amount"));
        Assert.Equal("1300000000000", claim.Established.Single().Established);
        Assert.True(claim.DiffersFromClaimed);
        Assert.Equal(Rating.MostlyTrue, claim.Verdict!.Rating);
        Assert.Equal(ClaimStatus.Rated, claim.Status);
    }

    [Fact]
    public async Task a_rating_without_independent_evidence_is_refused_and_nothing_is_written()
    {
        var id = await ledger.RecordTradeClaimAsync();
        var before = await ledger.EventCountAsync();

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.SendAsync(
            new IssueVerdict.Command(id, Rating.True, "looks right", [], null, MeiLin)));

        Assert.Equal("verdict-needs-independent-evidence", refusal.Rule);
        Assert.Equal(before, await ledger.EventCountAsync());
    }

    [Fact]
    public async Task an_amendment_that_changes_nothing_is_refused()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.SendAsync(
            new AmendRecord.Command(id, "unit", "yuan", "no change", Cnn("trade hit 1.28 trillion yuan in 2022"), null, MeiLin)));

        Assert.Equal("amendment-changes-nothing", refusal.Rule);
    }

    [Fact]
    public async Task a_verdict_on_a_retracted_claim_is_refused_and_its_history_stays_readable()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new RetractClaim.Command(id, "recorded twice", null, MeiLin));

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.SendAsync(
            new IssueVerdict.Command(id, Rating.True, "x", [DeskNote()], null, MeiLin)));

        Assert.Equal("claim-retracted", refusal.Rule);
        var history = await ledger.SendAsync(new ClaimHistory.Query(id));
        Assert.Equal([nameof(ClaimRecorded), nameof(ClaimRetracted)], history.Select(h => h.Type));
        Assert.Equal(ClaimStatus.Retracted, (await ledger.SendAsync(new GetClaim.Query(id))).Status);
    }

    [Fact]
    public async Task a_write_with_a_stale_expected_version_is_a_conflict_naming_the_current_version()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "first", [], 1, MeiLin));

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => ledger.SendAsync(
            new DisputeClaim.Command(id, "second, from a stale page", [], 1, MeiLin)));

        Assert.Equal(2, conflict.CurrentVersion);
        Assert.Contains("version 2", conflict.Message);
        Assert.Equal(2, (await ledger.SendAsync(new GetClaim.Query(id))).Version);
    }

    [Fact]
    public async Task writes_and_reads_of_an_unknown_claim_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => ledger.SendAsync(new RetractClaim.Command("no-such-claim", "x", null, MeiLin)));
        await Assert.ThrowsAsync<NotFoundException>(() => ledger.SendAsync(new GetClaim.Query("no-such-claim")));
        await Assert.ThrowsAsync<NotFoundException>(() => ledger.SendAsync(new ClaimHistory.Query("no-such-claim")));
        await Assert.ThrowsAsync<NotFoundException>(() => ledger.SendAsync(new ClaimAsOf.Query("no-such-claim", 1)));
    }

    [Fact]
    public async Task every_event_records_who_acted_why_and_under_which_correlation_id()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, new("Jonas Weber", "task-42")));

        var dispute = (await ledger.SendAsync(new ClaimHistory.Query(id)))[1];

        Assert.Equal(2, dispute.Version);
        Assert.Equal("Jonas Weber", dispute.Actor);
        Assert.Equal("figure looks high", dispute.Reason);
        Assert.Equal("task-42", dispute.CorrelationId);
        Assert.False(dispute.Imported);
        Assert.Equal("figure looks high", dispute.Payload.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task the_time_an_event_carries_is_the_time_the_ledger_stored_it_at()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, MeiLin));

        var history = await ledger.SendAsync(new ClaimHistory.Query(id));

        Assert.All(history, e => Assert.Equal(e.Timestamp, e.Payload.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(history[^1].Timestamp, (await ledger.SendAsync(new GetClaim.Query(id))).LastChangedAt);
    }
}
