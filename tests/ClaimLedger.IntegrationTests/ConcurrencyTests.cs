using ClaimLedger.Claims;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

public class ConcurrencyTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task eight_writers_on_the_same_claims_lose_and_duplicate_nothing_and_versions_stay_contiguous()
    {
        var claims = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            claims.Add(await ledger.RecordTradeClaimAsync());
        }

        const int writers = 8;
        const int disputesPerWriter = 15;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < disputesPerWriter; n++)
            {
                var claimId = claims[(writer + n) % claims.Count];
                await ledger.SendAsync(new DisputeClaim.Command(claimId, $"writer {writer} note {n}", [], null, new($"writer-{writer}")));
            }
        })));

        await using var session = ledger.Store.QuerySession();
        var reasons = new List<string>();
        foreach (var claimId in claims)
        {
            var events = await session.Events.FetchStreamAsync(claimId);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
            reasons.AddRange(events.Select(e => e.Data).OfType<ClaimDisputed>().Select(d => d.Reason));
            Assert.Equal(events.Count, (await ledger.SendAsync(new GetClaim.Query(claimId))).Version);
        }

        var expected = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, disputesPerWriter).Select(n => $"writer {w} note {n}"));
        Assert.Equal(expected.Order(), reasons.Order());
        var verified = await ledger.SendAsync(new Ledger.VerifyLedger.Query());
        Assert.True(verified.Intact, $"hash chains forked or broke under concurrent writers: {string.Join("; ", verified.Breaks)}");
    }

    [Fact]
    public async Task of_two_writers_holding_the_same_expected_version_exactly_one_wins()
    {
        var id = await ledger.RecordTradeClaimAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await ledger.SendAsync(new DisputeClaim.Command(id, $"writer {i}", [], 1, MeiLin));
                return "won";
            }
            catch (Common.VersionConflictException)
            {
                return "conflict";
            }
        }));

        Assert.Equal(["conflict", "won"], outcomes.Order());
        Assert.Equal(2, (await ledger.SendAsync(new GetClaim.Query(id))).Version);
    }
}
