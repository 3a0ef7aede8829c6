using System.Collections.Concurrent;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Writers racing on the same claims. The write path reads the clock once per write, after it has fetched the claim and
/// before it saves; <see cref="RaceClock"/> holds writers there, so each race these tests are about surely happens.
/// </summary>
[Trait("Category", "Slow")]
public class ConcurrencyTests
{
    [Fact]
    public async Task eight_writers_on_the_same_claims_lose_and_duplicate_nothing_and_versions_stay_contiguous()
    {
        var clock = new RaceClock();
        var ledger = new LedgerFixture { Clock = clock };
        await ledger.InitializeAsync();
        try
        {
            var claims = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                claims.Add(await ledger.RecordTradeClaimAsync());
            }

            const int writers = 8;
            const int disputesPerWriter = 15;
            clock.HoldWritersFor = TimeSpan.FromMilliseconds(3);
            await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
            {
                for (var n = 0; n < disputesPerWriter; n++)
                {
                    var claimId = claims[(writer + n) % claims.Count];
                    await clock.WriteAsync(claimId, () => ledger.SendAsync(new DisputeClaim.Command(claimId, $"writer {writer} note {n}", [], null, new($"writer-{writer}"))));
                }
            })));

            Assert.True(clock.ContendedWrites > 0, "no writer ever waited for another on the same claim: the race was not exercised");
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
        finally
        {
            await ledger.DisposeAsync();
        }
    }

    [Fact]
    public async Task of_two_writers_holding_the_same_expected_version_exactly_one_wins()
    {
        var clock = new RaceClock();
        var ledger = new LedgerFixture { Clock = clock };
        await ledger.InitializeAsync();
        try
        {
            var id = await ledger.RecordTradeClaimAsync();

            // Both writers have read version 1 and decided before either saves: exactly the race an expected version guards against.
            clock.MeetAt = new Barrier(2);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                try
                {
                    await ledger.SendAsync(new DisputeClaim.Command(id, $"writer {i}", [], 1, MeiLin));
                    return "won";
                }
                catch (VersionConflictException conflict)
                {
                    Assert.Equal(2, conflict.CurrentVersion);
                    return "conflict";
                }
            })));

            Assert.Equal(["conflict", "won"], outcomes.Order());
            Assert.Equal(2, (await ledger.SendAsync(new GetClaim.Query(id))).Version);
        }
        finally
        {
            await ledger.DisposeAsync();
        }
    }

    /// <summary>
    /// The system clock, with two ways to hold a writer where it has fetched its claim and not yet saved: a barrier that
    /// lets writers through only together, and a short hold during which it counts whether another write to the same claim
    /// was already under way (then that writer is waiting on this one).
    /// </summary>
    private sealed class RaceClock : TimeProvider
    {
        private readonly AsyncLocal<string?> _claim = new();
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private int _contended;

        public Barrier? MeetAt { get; set; }
        public TimeSpan HoldWritersFor { get; set; }
        public int ContendedWrites => _contended;

        public async Task WriteAsync(string claimId, Func<Task> write)
        {
            _claim.Value = claimId;
            _inFlight.AddOrUpdate(claimId, 1, (_, n) => n + 1);
            try
            {
                await write();
            }
            finally
            {
                _inFlight.AddOrUpdate(claimId, 0, (_, n) => n - 1);
                _claim.Value = null;
            }
        }

        public override DateTimeOffset GetUtcNow()
        {
            if (MeetAt is { } barrier && !barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("the other writer never reached the write");
            }

            if (_claim.Value is { } claimId && HoldWritersFor > TimeSpan.Zero)
            {
                if (_inFlight.GetValueOrDefault(claimId) > 1)
                {
                    Interlocked.Increment(ref _contended);
                }

                Thread.Sleep(HoldWritersFor);
            }

            return base.GetUtcNow();
        }
    }
}
