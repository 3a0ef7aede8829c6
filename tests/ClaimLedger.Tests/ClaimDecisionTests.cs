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
    public void a_verdict_without_evidence_beyond_the_original_appearance_is_refused()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.True, "matches customs data", [Cnn().Ref()], null, By("Mei Lin")), Sources, Now));

        Assert.Equal("verdict-needs-evidence", refusal.Rule);
    }

    [Fact]
    public void a_verdict_citing_new_evidence_is_accepted()
    {
        var verdict = IssueVerdict.Decide(Claim(), new IssueVerdict.Command("trade-total", Rating.True, "matches customs data", [DeskNote().Ref()], null, By("Mei Lin")), Sources, Now);

        Assert.Equal(Rating.True, verdict.Rating);
        Assert.Null(verdict.Supersedes);
    }

    [Fact]
    public void a_later_verdict_supersedes_the_earlier_one_and_both_stay()
    {
        var first = IssueVerdict.Decide(WithEvidence(), new IssueVerdict.Command("trade-total", Rating.Unverifiable, "no second source yet", [], null, By("Mei Lin")), Sources, Now);
        var afterFirst = ClaimEvolution.Evolve(WithEvidence(), first)!;

        var second = IssueVerdict.Decide(afterFirst, new IssueVerdict.Command("trade-total", Rating.True, "customs data confirms", [DeskNote().Ref()], null, By("Priya Raman")), Sources, Now.AddDays(7));
        var afterSecond = ClaimEvolution.Evolve(afterFirst, second)!;

        Assert.Equal(Rating.Unverifiable, second.Supersedes);
        Assert.Equal(Rating.True, afterSecond.Verdict!.Rating);
        Assert.Equal(Rating.Unverifiable, afterSecond.EarlierVerdicts.Single().Rating);
        Assert.Equal(ClaimStatus.Rated, afterSecond.Status);
    }

    [Fact]
    public void a_correction_of_a_value_field_records_old_and_normalized_new_value()
    {
        var corrected = CorrectClaim.Decide(Claim(), new CorrectClaim.Command("trade-total", "amount", "1.3 trillion", "typo in source", [DeskNote().Ref()], null, By("Jonas Weber")), Sources, Now);
        var claim = ClaimEvolution.Evolve(Claim(), corrected)!;

        Assert.Equal("1280000000000", corrected.OldValue);
        Assert.Equal("1300000000000", corrected.NewValue);
        Assert.Equal("1300000000000", ((QuantityValue)claim.Value).Amount);
        Assert.Equal(1, claim.CorrectionCount);
    }

    [Fact]
    public void a_correction_that_changes_nothing_is_refused_even_when_written_differently()
    {
        var refusal = Assert.Throws<ClaimRuleException>(() =>
            CorrectClaim.Decide(Claim(), new CorrectClaim.Command("trade-total", "amount", "1.28 trillion", "same", [DeskNote().Ref()], null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("correction-changes-nothing", refusal.Rule);
    }

    [Fact]
    public void a_correction_of_a_field_the_kind_does_not_have_is_bad_input()
    {
        var invalid = Assert.Throws<RequestValidationException>(() =>
            CorrectClaim.Decide(Claim(), new CorrectClaim.Command("trade-total", "speaker", "Wang Yi", "wrong field", [DeskNote().Ref()], null, By("Jonas Weber")), Sources, Now));

        Assert.Equal("field", invalid.Errors.Single().Field);
    }

    [Fact]
    public void a_correction_of_the_statement_replaces_it()
    {
        var corrected = CorrectClaim.Decide(Claim(), new CorrectClaim.Command("trade-total", "statement", "Trade hit 1.28 trillion yuan in 2022, a record", "wording", [DeskNote().Ref()], null, By("Jonas Weber")), Sources, Now);

        Assert.Equal("Trade hit 1.28 trillion yuan in 2022, a record", ClaimEvolution.Evolve(Claim(), corrected)!.Statement);
    }

    public static TheoryData<string> EveryWrite => ["source", "corroborate", "dispute", "correct", "verdict", "retract"];

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
            "correct" => () => CorrectClaim.Decide(claim, new CorrectClaim.Command("trade-total", "amount", "2", "why", [DeskNote().Ref()], null, By("a")), Sources, Now),
            "verdict" => () => IssueVerdict.Decide(claim, new IssueVerdict.Command("trade-total", Rating.False, "why", [DeskNote().Ref()], null, By("a")), Sources, Now),
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
