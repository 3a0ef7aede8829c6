using ClaimLedger.Claims;
using ClaimLedger.Common;
using static ClaimLedger.Tests.Given;

namespace ClaimLedger.Tests;

public class ClaimDecisionTests
{
    private static readonly DateTimeOffset Now = T0.AddDays(2);

    [Fact]
    public void recording_a_claim_keeps_its_statement_value_and_appearance()
    {
        var recorded = RecordClaim.Decide(null, new RecordClaim.Command("trade-total", ClaimKind.Quantity, "  Trade hit 1.28 trillion yuan  ", new Dictionary<string, string?> { ["amount"] = "1.28 trillion", ["unit"] = "yuan", ["period"] = "2022" }, Cnn().Ref(), By("Mei Lin")), Sources, Now);

        var claim = ClaimEvolution.Evolve(null, recorded)!;

        Assert.Equal("Trade hit 1.28 trillion yuan", claim.Statement);
        Assert.Equal(1, claim.Version);
        Assert.Equal(ClaimStatus.Recorded, claim.Status);
        Assert.Equal(["CNN"], claim.Publishers);
        Assert.Equal("1280000000000", ((QuantityValue)claim.Value).Amount);
    }

    [Fact]
    public void a_corroboration_from_an_independent_publisher_is_accepted()
    {
        var corroborated = CorroborateClaim.Decide(Claim(), new CorroborateClaim.Command("trade-total", GlobalTimes().Ref(), "same figure", null, By("Priya Raman")), Sources, Now);

        var claim = ClaimEvolution.Evolve(Claim(), corroborated)!;

        Assert.Equal(ClaimStatus.Corroborated, claim.Status);
        Assert.Equal(["CNN", "Global Times"], claim.Publishers);
        Assert.True(claim.Sources.Single().Corroborates);
    }

    [Fact]
    public void a_corroboration_from_a_publisher_already_on_the_claim_is_refused()
    {
        var claim = Claim(new SourceAttached("trade-total", GlobalTimes(20, 30), Stance.Mentions, null, "Priya Raman", T0));

        var refusal = Assert.Throws<ClaimRuleException>(() => CorroborateClaim.Decide(claim, new CorroborateClaim.Command("trade-total", GlobalTimes(40, 50).Ref(), null, null, By("Priya Raman")), Sources, Now));

        Assert.Equal("corroboration-not-independent", refusal.Rule);
    }

    [Fact]
    public void attaching_the_same_span_twice_is_refused()
    {
        var claim = WithEvidence();

        var refusal = Assert.Throws<ClaimRuleException>(() => AttachSource.Decide(claim, new AttachSource.Command("trade-total", GlobalTimes().Ref(), Stance.Contradicts, null, null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("source-already-attached", refusal.Rule);
    }

    [Fact]
    public void a_rating_that_cites_only_the_claims_own_article_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.True, "matches customs data", [Cnn(40, 50).Ref()], null, By("Mei Lin")), Sources, Now));

        Assert.Equal("verdict-needs-independent-evidence", refusal.Rule);
    }

    [Fact]
    public void a_rating_that_cites_another_story_of_the_claims_own_publisher_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.False, "CNN said otherwise later", [CnnOther().Ref()], null, By("Mei Lin")), Sources, Now));

        Assert.Equal("verdict-needs-independent-evidence", refusal.Rule);
    }

    [Fact]
    public void a_rating_resting_only_on_sources_attached_earlier_is_refused_until_the_verdict_cites_them()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            IssueVerdict.Decide(WithEvidence(), new IssueVerdict.Command("trade-total", Rating.True, "see sources", [], null, By("Mei Lin")), Sources, Now));

        Assert.Equal("verdict-needs-independent-evidence", refusal.Rule);
    }

    [Fact]
    public void a_verdict_citing_a_cited_source_from_another_publisher_is_accepted()
    {
        var verdict = IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.True, "matches customs data", [Customs().Ref()], null, By("Mei Lin")), Sources, Now);

        Assert.Equal(Rating.True, verdict.Rating);
        Assert.Null(verdict.Supersedes);
    }

    [Fact]
    public void an_opinion_needs_no_evidence_and_is_not_on_the_scale()
    {
        var verdict = IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.Opinion, "a judgement, not a checkable fact", [], null, By("Mei Lin")), Sources, Now);

        Assert.Equal(Rating.Opinion, verdict.Rating);
        Assert.False(Ratings.IsOnScale(verdict.Rating));
        Assert.Null(Ratings.ScaleValue(verdict.Rating));
        Assert.Equal(5, Ratings.ScaleValue(Rating.True));
        Assert.Equal(1, Ratings.ScaleValue(Rating.False));
    }

    [Fact]
    public void unverifiable_without_the_sources_tried_is_bad_input_naming_the_field()
    {
        var errors = RequestValidation.Check(new IssueVerdict.Command("trade-total", Rating.Unverifiable, "could not settle it", [], null, By("Mei Lin")));

        Assert.Equal("SourcesTried", errors.Single().Field, ignoreCase: true);
    }

    [Fact]
    public void unverifiable_keeps_the_sources_tried_on_the_verdict()
    {
        var verdict = IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.Unverifiable, "could not settle it", [], null, By("Mei Lin"), ["customs yearbook 2022", "TASS archive"]), Sources, Now);

        Assert.Equal(["customs yearbook 2022", "TASS archive"], ClaimEvolution.Evolve(Claim(), verdict)!.Verdict!.SourcesTried);
    }

    [Fact]
    public void a_quote_is_not_rated_before_its_attribution_is_checked()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            IssueVerdict.Decide(Quote(), new IssueVerdict.Command("wang-quote", Rating.Opinion, "a judgement", [], null, By("Mei Lin")), Sources, Now));

        Assert.Equal("quote-needs-attribution-check", refusal.Rule);
    }

    [Fact]
    public void a_quote_checked_as_accurate_can_be_given_an_opinion_outcome_apart_from_its_attribution()
    {
        var check = CheckAttribution.Decide(Quote(), new CheckAttribution.Command("wang-quote", Attribution.Accurate, "the transcript has the words", [Customs().Ref()], null, null, By("Mei Lin")), Sources, Now);
        var checkedQuote = ClaimEvolution.Evolve(Quote(), check)!;

        var verdict = IssueVerdict.Decide(checkedQuote, new IssueVerdict.Command("wang-quote", Rating.Opinion, "a judgement", [], null, By("Mei Lin")), Sources, Now);

        Assert.Equal(Attribution.Accurate, checkedQuote.Attribution!.Result);
        Assert.Equal(Rating.Opinion, ClaimEvolution.Evolve(checkedQuote, verdict)!.Verdict!.Rating);
    }

    [Fact]
    public void an_attribution_check_on_a_claim_that_is_not_a_quote_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            CheckAttribution.Decide(Claim(), new CheckAttribution.Command("trade-total", Attribution.Accurate, "said", [Customs().Ref()], null, null, By("Mei Lin")), Sources, Now));

        Assert.Equal("attribution-only-for-quotes", refusal.Rule);
    }

    [Fact]
    public void an_attribution_resting_only_on_the_claims_own_publisher_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            CheckAttribution.Decide(Quote(), new CheckAttribution.Command("wang-quote", Attribution.Accurate, "CNN says so again", [CnnOther().Ref()], null, null, By("Mei Lin")), Sources, Now));

        Assert.Equal("attribution-needs-independent-evidence", refusal.Rule);
    }

    [Fact]
    public void a_quote_not_found_needs_the_sources_tried_and_no_evidence()
    {
        var missing = RequestValidation.Check(new CheckAttribution.Command("wang-quote", Attribution.NotFound, "no transcript has it", [], null, null, By("Mei Lin")));
        var check = CheckAttribution.Decide(Quote(), new CheckAttribution.Command("wang-quote", Attribution.NotFound, "no transcript has it", [], ["MFA transcript 2023-02-21"], null, By("Mei Lin")), Sources, Now);

        Assert.Equal("SourcesTried", missing.Single().Field, ignoreCase: true);
        Assert.Equal(["MFA transcript 2023-02-21"], check.SourcesTried);
    }

    [Fact]
    public void a_later_verdict_supersedes_the_earlier_one_and_both_stay()
    {
        var first = IssueVerdict.Decide(WithEvidence(), new IssueVerdict.Command("trade-total", Rating.Unverifiable, "no second source yet", [], null, By("Mei Lin"), ["customs yearbook"]), Sources, Now);
        var afterFirst = ClaimEvolution.Evolve(WithEvidence(), first)!;

        var second = IssueVerdict.Decide(afterFirst, new IssueVerdict.Command("trade-total", Rating.True, "customs data confirms", [Customs().Ref()], null, By("Priya Raman")), Sources, Now.AddDays(7));
        var afterSecond = ClaimEvolution.Evolve(afterFirst, second)!;

        Assert.Equal(Rating.Unverifiable, second.Supersedes);
        Assert.Equal(Rating.True, afterSecond.Verdict!.Rating);
        Assert.Equal(Rating.Unverifiable, afterSecond.EarlierVerdicts.Single().Rating);
        Assert.Equal(ClaimStatus.Rated, afterSecond.Status);
    }

    [Fact]
    public void a_finding_keeps_the_claim_as_published_and_shows_what_was_established_beside_it()
    {
        var finding = RecordFinding.Decide(Claim(), new RecordFinding.Command("trade-total", "amount", "1.3 trillion", "customs total", [Customs().Ref()], null, By("Jonas Weber")), Sources, Now);
        var claim = ClaimEvolution.Evolve(Claim(), finding)!;

        Assert.Equal("1280000000000", finding.Claimed);
        Assert.Equal("1300000000000", finding.Established);
        Assert.Equal("1280000000000", ((QuantityValue)claim.Value).Amount);
        Assert.Equal("1300000000000", claim.Established.Single().Established);
        Assert.True(claim.DiffersFromClaimed);
    }

    [Fact]
    public void a_finding_that_confirms_the_claimed_value_does_not_mark_the_claim_as_differing()
    {
        var finding = RecordFinding.Decide(Claim(), new RecordFinding.Command("trade-total", "amount", "1.28 trillion", "customs total", [Customs().Ref()], null, By("Jonas Weber")), Sources, Now);
        var claim = ClaimEvolution.Evolve(Claim(), finding)!;

        Assert.False(claim.Established.Single().Differs);
        Assert.False(claim.DiffersFromClaimed);
    }

    [Fact]
    public void a_later_finding_on_the_same_field_supersedes_the_earlier_and_both_stay()
    {
        var first = ClaimEvolution.Evolve(Claim(), RecordFinding.Decide(Claim(), new RecordFinding.Command("trade-total", "amount", "1.3 trillion", "first reading", [Customs().Ref()], null, By("a")), Sources, Now))!;
        var second = ClaimEvolution.Evolve(first, RecordFinding.Decide(first, new RecordFinding.Command("trade-total", "amount", "1.28 trillion", "final customs figure", [Customs().Ref()], null, By("a")), Sources, Now))!;

        Assert.Equal(2, second.Findings.Count);
        Assert.Equal("1280000000000", second.Established.Single().Established);
        Assert.False(second.DiffersFromClaimed);
    }

    [Fact]
    public void a_finding_resting_only_on_the_claims_own_publisher_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            RecordFinding.Decide(Claim(), new RecordFinding.Command("trade-total", "amount", "1.3 trillion", "CNN again", [CnnOther().Ref()], null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("finding-needs-independent-evidence", refusal.Rule);
    }

    [Fact]
    public void a_finding_on_a_field_the_kind_does_not_have_is_bad_input()
    {
        var invalid = Assert.Throws<RequestValidationException>(() =>
            RecordFinding.Decide(Claim(), new RecordFinding.Command("trade-total", "speaker", "Wang Yi", "wrong field", [Customs().Ref()], null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("field", invalid.Errors.Single().Field);
    }

    [Fact]
    public void amending_the_record_changes_what_was_claimed_citing_the_article()
    {
        var amended = AmendRecord.Decide(Claim(), new AmendRecord.Command("trade-total", "amount", "1.3 trillion", "misread the figure", Cnn(2, 8).Ref(), null, By("Jonas Weber")), Sources, Now);
        var claim = ClaimEvolution.Evolve(Claim(), amended)!;

        Assert.Equal("1280000000000", amended.OldValue);
        Assert.Equal("1300000000000", ((QuantityValue)claim.Value).Amount);
        Assert.Equal(1, claim.AmendmentCount);
    }

    [Fact]
    public void amending_the_record_from_another_document_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            AmendRecord.Decide(Claim(), new AmendRecord.Command("trade-total", "amount", "1.3 trillion", "customs say so", Customs().Ref(), null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("amendment-must-cite-appearance", refusal.Rule);
    }

    [Fact]
    public void amending_the_record_from_a_span_that_misses_the_appearance_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            AmendRecord.Decide(Claim(), new AmendRecord.Command("trade-total", "amount", "1.3 trillion", "another sentence", Cnn(40, 50).Ref(), null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("amendment-must-cite-appearance", refusal.Rule);
    }

    [Fact]
    public void an_amendment_that_changes_nothing_is_refused_even_when_written_differently()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            AmendRecord.Decide(Claim(), new AmendRecord.Command("trade-total", "amount", "1.28 trillion", "same", Cnn().Ref(), null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("amendment-changes-nothing", refusal.Rule);
    }

    [Fact]
    public void amending_the_statement_replaces_the_recorded_statement()
    {
        var amended = AmendRecord.Decide(Claim(), new AmendRecord.Command("trade-total", "statement", "Trade hit 1.28 trillion yuan in 2022, a record", "wording", Cnn().Ref(), null, By("Jonas Weber")), Sources, Now);

        Assert.Equal("Trade hit 1.28 trillion yuan in 2022, a record", ClaimEvolution.Evolve(Claim(), amended)!.Statement);
    }

    [Fact]
    public void a_correction_stored_by_the_earlier_model_is_read_as_a_finding_and_leaves_the_claim_as_published()
    {
        var stored = new ClaimCorrected("trade-total", "amount", "1280000000000", "1300000000000", "customs total", [DeskNote()], "Jonas Weber", T0.AddHours(2));

        var claim = Claim(stored);

        Assert.Equal("1280000000000", ((QuantityValue)claim.Value).Amount);
        Assert.Equal("1300000000000", claim.Established.Single().Established);
        Assert.IsType<FindingRecorded>(ClaimEventUpcasts.Upcast(stored));
        Assert.Equal(2, claim.Version);
    }

    public static TheoryData<string> EveryWrite => ["source", "corroborate", "dispute", "amend", "finding", "attribution", "verdict", "retract"];

    [Theory]
    [MemberData(nameof(EveryWrite))]
    public void a_retracted_claim_refuses_every_further_write(string write)
    {
        var claim = Retracted();
        Action decide = write switch
        {
            "source" => () => AttachSource.Decide(claim, new AttachSource.Command("trade-total", GlobalTimes().Ref(), Stance.Supports, null, null, By("a")), Sources, Now),
            "corroborate" => () => CorroborateClaim.Decide(claim, new CorroborateClaim.Command("trade-total", GlobalTimes().Ref(), null, null, By("a")), Sources, Now),
            "dispute" => () => DisputeClaim.Decide(claim, new DisputeClaim.Command("trade-total", "why", [], null, By("a")), Sources, Now),
            "amend" => () => AmendRecord.Decide(claim, new AmendRecord.Command("trade-total", "amount", "2", "why", Cnn().Ref(), null, By("a")), Sources, Now),
            "finding" => () => RecordFinding.Decide(claim, new RecordFinding.Command("trade-total", "amount", "2", "why", [Customs().Ref()], null, By("a")), Sources, Now),
            "attribution" => () => CheckAttribution.Decide(claim, new CheckAttribution.Command("trade-total", Attribution.Accurate, "why", [Customs().Ref()], null, null, By("a")), Sources, Now),
            "verdict" => () => IssueVerdict.Decide(claim, new IssueVerdict.Command("trade-total", Rating.False, "why", [Customs().Ref()], null, By("a")), Sources, Now),
            _ => () => RetractClaim.Decide(claim, new RetractClaim.Command("trade-total", "again", null, By("a")), Sources, Now),
        };

        Assert.Equal("claim-retracted", Assert.Throws<ClaimRuleException>(decide).Rule);
        Assert.Equal(ClaimStatus.Retracted, claim.Status);
    }

    [Fact]
    public void a_dispute_marks_the_claim_disputed_and_counts_its_evidence()
    {
        var claim = ClaimEvolution.Evolve(Claim(), DisputeClaim.Decide(Claim(), new DisputeClaim.Command("trade-total", "figure looks wrong", [DeskNote().Ref(), GlobalTimes().Ref()], null, By("Mei Lin")), Sources, Now))!;

        Assert.Equal(ClaimStatus.Disputed, claim.Status);
        Assert.Equal(2, claim.EvidenceCount);
        Assert.Equal(2, claim.Version);
    }

    [Fact]
    public void every_event_moves_the_version_by_one_and_the_last_change_time()
    {
        var claim = Claim(
            new SourceAttached("trade-total", GlobalTimes(), Stance.Supports, null, "a", T0.AddHours(1)),
            new ClaimDisputed("trade-total", "why", [], "a", T0.AddHours(2)),
            new VerdictIssued("trade-total", Rating.HalfTrue, "why", [], null, "a", T0.AddHours(3)));

        Assert.Equal(4, claim.Version);
        Assert.Equal(T0.AddHours(3), claim.LastChangedAt);
    }

    [Fact]
    public void an_event_before_the_claim_was_recorded_builds_nothing()
    {
        Assert.Null(ClaimEvolution.Evolve(null, new ClaimRetracted("x", "why", "a", T0)));
    }
}
