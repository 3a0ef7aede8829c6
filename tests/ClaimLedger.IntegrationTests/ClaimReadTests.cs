using ClaimLedger.Claims;
using ClaimLedger.Common;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

public class ClaimReadTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    private static readonly DateTimeOffset Day1 = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);

    private static WriteContext At(DateTimeOffset time, string step) => new("Priya Raman", null, new ImportMark(time, step, "hash"));

    [Fact]
    public async Task a_claim_replayed_as_of_a_version_or_a_time_shows_the_verdict_it_had_then()
    {
        var id = await ledger.RecordTradeClaimAsync(context: At(Day1, "s1"));
        await ledger.SendAsync(new IssueVerdict.Command(id, Rating.Unverifiable, "one source only", [DeskNote()], null, At(Day1.AddDays(10), "s2"), ["customs yearbook"]));
        await ledger.SendAsync(new IssueVerdict.Command(id, Rating.True, "customs data confirms", [DeskNote()], null, At(Day1.AddDays(30), "s3")));

        var atVersion2 = await ledger.SendAsync(new ClaimAsOf.Query(id, Version: 2));
        var beforeRevision = await ledger.SendAsync(new ClaimAsOf.Query(id, At: Day1.AddDays(20)));
        var afterRevision = await ledger.SendAsync(new ClaimAsOf.Query(id, At: Day1.AddDays(31)));
        var beforeAnyVerdict = await ledger.SendAsync(new ClaimAsOf.Query(id, At: Day1.AddDays(5)));

        Assert.Equal(Rating.Unverifiable, atVersion2.Verdict!.Rating);
        Assert.Equal(2, atVersion2.Version);
        Assert.Equal(Rating.Unverifiable, beforeRevision.Verdict!.Rating);
        Assert.Equal(Rating.True, afterRevision.Verdict!.Rating);
        Assert.Null(beforeAnyVerdict.Verdict);
    }

    [Fact]
    public async Task imported_events_keep_their_recorded_time_and_are_marked_imported()
    {
        var id = await ledger.RecordTradeClaimAsync(context: At(Day1, "s1"));

        var recorded = (await ledger.SendAsync(new ClaimHistory.Query(id))).Single();

        Assert.Equal(Day1, recorded.Timestamp);
        Assert.True(recorded.Imported);
        Assert.Equal(Day1, (await ledger.SendAsync(new GetClaim.Query(id))).RecordedAt);
    }

    [Fact]
    public async Task a_replay_beyond_the_current_version_or_before_the_claim_existed_is_bad_input()
    {
        var id = await ledger.RecordTradeClaimAsync(context: At(Day1, "s1"));

        var tooFar = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(new ClaimAsOf.Query(id, Version: 5)));
        var tooEarly = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(new ClaimAsOf.Query(id, At: Day1.AddDays(-1))));

        Assert.Equal("version", tooFar.Errors.Single().Field);
        Assert.Equal("at", tooEarly.Errors.Single().Field);
    }

    [Fact]
    public async Task the_list_filters_by_kind_status_verdict_and_publisher_and_searches_statements()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var rated = await ledger.SendAsync(new RecordClaim.Command($"gas-{marker}", ClaimKind.Quantity, $"Gas deliveries {marker} reached 38 billion cubic metres",
            new Dictionary<string, string?> { ["amount"] = "38 billion", ["unit"] = "cubic metres" }, Cnn("trade hit 1.28 trillion yuan"), MeiLin));
        await ledger.SendAsync(new CorroborateClaim.Command(rated.ClaimId, GlobalTimes("Bilateral trade"), null, null, MeiLin));
        await ledger.SendAsync(new IssueVerdict.Command(rated.ClaimId, Rating.False, "no", [DeskNote()], null, MeiLin));
        var quote = await ledger.SendAsync(new RecordClaim.Command($"quote-{marker}", ClaimKind.Quote, $"Wang said {marker} ties are solid",
            new Dictionary<string, string?> { ["speaker"] = "Wang Yi", ["words"] = "solid as a rock" }, Cnn("Wang Yi visited Moscow"), MeiLin));

        var byKind = await ledger.SendAsync(new ListClaims.Query(Kind: ClaimKind.Quote, Search: marker));
        var byVerdict = await ledger.SendAsync(new ListClaims.Query(Verdict: Rating.False, Search: marker));
        var byPublisher = await ledger.SendAsync(new ListClaims.Query(Publisher: "Global Times", Search: marker));
        var byStatus = await ledger.SendAsync(new ListClaims.Query(Status: ClaimStatus.Recorded, Search: marker));
        var bySearch = await ledger.SendAsync(new ListClaims.Query(Search: "cubic"));

        Assert.Equal([quote.ClaimId], byKind.Items.Select(c => c.Id));
        Assert.Equal([rated.ClaimId], byVerdict.Items.Select(c => c.Id));
        Assert.Equal([rated.ClaimId], byPublisher.Items.Select(c => c.Id));
        Assert.Equal([quote.ClaimId], byStatus.Items.Select(c => c.Id));
        Assert.Contains(rated.ClaimId, bySearch.Items.Select(c => c.Id));
        Assert.DoesNotContain(quote.ClaimId, bySearch.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task the_list_pages_through_every_claim_exactly_once()
    {
        for (var i = 0; i < 5; i++)
        {
            await ledger.RecordTradeClaimAsync();
        }

        var first = await ledger.SendAsync(new ListClaims.Query(PageSize: 2));
        var all = new List<string>();
        for (var page = 1; page <= first.PageCount; page++)
        {
            all.AddRange((await ledger.SendAsync(new ListClaims.Query(Page: page, PageSize: 2))).Items.Select(c => c.Id));
        }

        Assert.True(first.Total >= 5);
        Assert.Equal(first.Total, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task a_diff_names_each_changed_field_with_the_events_that_changed_it()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, MeiLin));
        await ledger.SendAsync(new RecordFinding.Command(id, "amount", "1.3 trillion", "customs data", [DeskNote()], null, new("Jonas Weber")));
        await ledger.SendAsync(new IssueVerdict.Command(id, Rating.MostlyTrue, "close to customs data", [DeskNote()], null, MeiLin));

        var diff = await ledger.SendAsync(new ClaimDiff.Query(id, 1, 4));
        var unchanged = await ledger.SendAsync(new ClaimDiff.Query(id, 3, 4));

        var amount = Assert.Single(diff.Changes, c => c.Field == "established.amount");
        Assert.Equal((null, "1300000000000"), (amount.Before, amount.After));
        Assert.DoesNotContain(diff.Changes, c => c.Field == "value.amount");
        Assert.Equal((3L, nameof(FindingRecorded), "Jonas Weber", "customs data"), (amount.CausedBy.Single().Version, amount.CausedBy.Single().Event, amount.CausedBy.Single().Actor, amount.CausedBy.Single().Reason));
        Assert.Equal(["Disputed", "Rated"], Assert.Single(diff.Changes, c => c.Field == "status").CausedBy.Select(c => c.Event == nameof(ClaimDisputed) ? "Disputed" : "Rated"));
        Assert.Equal("Mostly true", Assert.Single(diff.Changes, c => c.Field == "verdict").After);
        Assert.DoesNotContain(unchanged.Changes, c => c.Field == "value.amount");
    }

    [Fact]
    public async Task a_replay_gives_the_state_after_every_event_and_ends_at_the_current_state()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, MeiLin));
        await ledger.SendAsync(new RetractClaim.Command(id, "recorded twice", null, MeiLin));

        var steps = await ledger.SendAsync(new ClaimReplay.Query(id));

        Assert.Equal([1L, 2L, 3L], steps.Select(s => s.State.Version));
        Assert.Equal([ClaimStatus.Recorded, ClaimStatus.Disputed, ClaimStatus.Retracted], steps.Select(s => s.State.Status));
        Assert.Equal((await ledger.SendAsync(new GetClaim.Query(id))).Status, steps[^1].State.Status);
    }

    [Fact]
    public async Task a_diff_to_a_version_the_claim_does_not_have_is_bad_input()
    {
        var id = await ledger.RecordTradeClaimAsync();
        await ledger.SendAsync(new DisputeClaim.Command(id, "x", [], null, MeiLin));

        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => ledger.SendAsync(new ClaimDiff.Query(id, 1, 9)));

        Assert.Equal("to", invalid.Errors.Single().Field);
    }
}
