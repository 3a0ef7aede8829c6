using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using FsCheck;
using FsCheck.Fluent;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Random sequences of valid and invalid commands, sent through the real pipeline to the real database, never break
/// the ledger's invariants: each accepted command is exactly one event, each refused one leaves no trace, the read
/// model equals the fold of the stored events, and every hash chain verifies.
/// </summary>
[Trait("Category", "Slow")]
public class LedgerPropertyTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    public sealed record Step(int Claim, int Action, bool Valid);

    private static readonly Gen<Step> Steps =
        from claim in Gen.Choose(0, 2)
        from action in Gen.Choose(0, 7)
        from valid in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Step(claim, action, valid);

    private int _case;
    private int _accepted;
    private int _refused;

    [Fact]
    public void random_command_sequences_never_break_an_invariant()
    {
        var property = Prop.ForAll(Arb.From(Gen.ListOf(Steps).Resize(25)), (List<Step> steps) => Run(steps).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);

        Assert.True(_accepted > 50 && _refused > 50, $"the sequences must exercise both sides: {_accepted} accepted, {_refused} refused");
    }

    private async Task<bool> Run(List<Step> steps)
    {
        var prefix = $"p{Interlocked.Increment(ref _case)}-{Guid.NewGuid():N}"[..14];
        var accepted = new int[3];
        for (var i = 0; i < steps.Count; i++)
        {
            var (claim, action, valid) = steps[i];
            var id = $"{prefix}-{claim}";
            try
            {
                await ledger.SendAsync(Command(id, action, valid, i));
                accepted[claim]++;
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception e) when (e is ClaimRuleException or RequestValidationException or NotFoundException or VersionConflictException)
            {
                // Refused: checked below to have left no trace.
                Interlocked.Increment(ref _refused);
            }
        }

        for (var claim = 0; claim < 3; claim++)
        {
            var id = $"{prefix}-{claim}";
            if (accepted[claim] == 0)
            {
                await Assert.ThrowsAsync<NotFoundException>(() => ledger.SendAsync(new GetClaim.Query(id)));
                continue;
            }

            var history = await ledger.SendAsync(new ClaimHistory.Query(id));
            var readModel = await ledger.SendAsync(new GetClaim.Query(id));
            var folded = ClaimReplay.Replay(history).Last().State;
            Assert.Equal(accepted[claim], history.Count);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(v => (long)v), history.Select(e => e.Version));
            Assert.Equal(ClaimFields.Of(folded), ClaimFields.Of(readModel));
            Assert.Equal(folded.Version, readModel.Version);
        }

        var verified = await ledger.SendAsync(new VerifyLedger.Query());
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
        return true;
    }

    private static MediatR.IRequest<Common.WriteResult> Command(string id, int action, bool valid, int step) => action switch
    {
        0 => new RecordClaim.Command(id, ClaimKind.Quantity, valid ? "Trade hit 1.28 trillion yuan" : "",
            new Dictionary<string, string?> { ["amount"] = "1.28 trillion", ["unit"] = "yuan" }, Cnn("trade hit 1.28 trillion yuan"), MeiLin),
        1 => new AttachSource.Command(id, valid ? DeskNote() : DeskNote() with { Excerpt = "not the text" }, Stance.Supports, null, null, MeiLin),
        2 => new CorroborateClaim.Command(id, valid ? GlobalTimes("Bilateral trade") : Cnn("Wang Yi visited Moscow"), null, null, MeiLin),
        3 => new DisputeClaim.Command(id, valid ? $"question {step}" : "", [], null, MeiLin),
        4 => new AmendRecord.Command(id, "amount", valid ? $"{step + 2} trillion" : "1.28 trillion", "misread", Cnn("trade hit 1.28 trillion yuan in 2022"), null, MeiLin),
        5 => new IssueVerdict.Command(id, (Rating)(step % 6), "because", valid ? [DeskNote()] : [], null, MeiLin),
        6 => new RetractClaim.Command(id, valid ? "duplicate" : "", null, MeiLin),
        _ => new DisputeClaim.Command(id, "stale", [], valid ? null : 999, MeiLin),
    };
}
