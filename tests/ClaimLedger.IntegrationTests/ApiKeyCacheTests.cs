using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimLedger.Access;
using ClaimLedger.Api;
using ClaimLedger.Claims;
using Microsoft.AspNetCore.Http.Json;
using static ClaimLedger.IntegrationTests.ApiFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>The fast read path: cached keys that still stop working at once when revoked, and the claim passed through as stored.</summary>
public class ApiKeyCacheTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_key_revoked_elsewhere_stops_working_within_one_second_though_it_was_cached()
    {
        var created = await api.Ledger.SendAsync(new CreateApiKey.Command("Soon Gone", Role.Checker, "tests"));
        var client = api.Client(created.Key);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/claims")).StatusCode);
        }

        // Revoked through another composition root, as the CLI or another server would: only the notification tells this server.
        await api.Ledger.SendAsync(new RevokeApiKey.Command(created.Id, "tests"));
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (clock.Elapsed < TimeSpan.FromSeconds(1) && status == HttpStatusCode.OK)
        {
            status = (await client.GetAsync("/claims")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task a_claim_read_over_http_is_the_same_json_as_the_typed_claim()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        await api.Client(api.CheckerKey).SendAsync(Post($"/claims/{id}/verdicts", new { rating = "Mostly false", rationale = "yuan", evidence = new[] { LedgerFixture.DeskNote() } }, ifMatch: 1));

        var response = await api.Client(api.CheckerKey).GetAsync($"/claims/{id}");
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var json = new JsonOptions();
        ApiHost.Configure(json);
        json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        var typed = JsonSerializer.SerializeToNode(await api.Ledger.SendAsync(new GetClaim.Query(id)), json.SerializerOptions);

        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(typed, served), $"typed: {typed}\nserved: {served}");
    }
}
