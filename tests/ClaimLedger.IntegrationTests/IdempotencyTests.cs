using System.Net.Http.Json;
using System.Net;
using ClaimLedger.Claims;
using ClaimLedger.Common;

namespace ClaimLedger.IntegrationTests;

public class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private LedgerFixture Ledger => api.Ledger;

    private static WriteContext Keyed(string key) => new("Mei Lin", IdempotencyKey: key);

    [Fact]
    public async Task a_retry_with_the_same_key_and_request_returns_the_first_result_and_writes_nothing()
    {
        var id = await Ledger.RecordTradeClaimAsync();
        var key = Guid.NewGuid().ToString();

        var first = await Ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, Keyed(key)));
        var events = await Ledger.EventCountAsync();
        var retry = await Ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, Keyed(key)));

        Assert.Equal((first.ClaimId, first.Version), (retry.ClaimId, retry.Version));
        Assert.Equal(first.Events, retry.Events);
        Assert.Equal(events, await Ledger.EventCountAsync());
        Assert.Equal(2, (await Ledger.SendAsync(new GetClaim.Query(id))).Version);
    }

    [Fact]
    public async Task the_same_key_with_a_different_request_is_refused_and_writes_nothing()
    {
        var id = await Ledger.RecordTradeClaimAsync();
        var key = Guid.NewGuid().ToString();
        await Ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, Keyed(key)));
        var events = await Ledger.EventCountAsync();

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => Ledger.SendAsync(new DisputeClaim.Command(id, "something else", [], null, Keyed(key))));

        Assert.Equal("idempotency-key-reused", refusal.Rule);
        Assert.Equal(events, await Ledger.EventCountAsync());
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_write_once()
    {
        var id = await Ledger.RecordTradeClaimAsync();
        var key = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            Ledger.SendAsync(new DisputeClaim.Command(id, "figure looks high", [], null, Keyed(key))))));

        Assert.Single(results.Select(r => r.Version).Distinct());
        Assert.Equal(2, (await Ledger.SendAsync(new ClaimHistory.Query(id))).Count);
    }

    [Fact]
    public async Task over_http_the_idempotency_key_header_makes_a_retried_post_safe()
    {
        var client = api.Client(api.CheckerKey);
        var id = await Ledger.RecordTradeClaimAsync();
        HttpRequestMessage Request()
        {
            var request = ApiFixture.Post($"/claims/{id}/disputes", new { reason = "figure looks high" }, ifMatch: 1);
            request.Headers.Add("Idempotency-Key", "retry-me-1");
            return request;
        }

        var first = await client.SendAsync(Request());
        var retry = await client.SendAsync(Request());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var (a, b) = (await first.Content.ReadFromJsonAsync<WriteResult>(), await retry.Content.ReadFromJsonAsync<WriteResult>());
        Assert.Equal((a!.Version, a.Events.Single()), (b!.Version, b.Events.Single()));
        Assert.Equal(2, (await Ledger.SendAsync(new ClaimHistory.Query(id))).Count);
    }
}
