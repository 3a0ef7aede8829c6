using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClaimLedger.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ClaimLedger.IntegrationTests;

/// <summary>Over-long URLs and headers, sent to the real server (Kestrel) on loopback: answered as problems, not bare statuses.</summary>
public sealed class RequestLimitTests : IAsyncLifetime, IDisposable
{
    private readonly LedgerFixture _ledger = new();
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _app = ApiHost.Build(_ledger.Options, new ApiOptions(OpenReads: true), builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        await _app!.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    public void Dispose() => _client?.Dispose();

    [Fact]
    public async Task a_url_over_the_limit_is_a_414_problem()
    {
        var response = await _client!.GetAsync("/claims?q=" + new string('a', RequestLimits.MaxTargetBytes + 100));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("8,192", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task headers_over_the_limit_are_a_431_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/claims");
        for (var i = 0; i < 5; i++)
        {
            request.Headers.Add($"X-Padding-{i}", new string('p', 7_000));
        }

        var response = await _client!.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
