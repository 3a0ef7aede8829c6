using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClaimLedger.Access;
using ClaimLedger.Api;
using ClaimLedger.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static ClaimLedger.IntegrationTests.ApiFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Two API servers over one ledger, each with its own composition root and key cache, on loopback ports, as behind a
/// load balancer: either serves what the other wrote, and a key revoked through one is refused by the other within a
/// second although the other had it cached.
/// </summary>
public sealed class TwoServersTests : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();
    private Server _a = null!;
    private Server _b = null!;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _a = await Server.StartAsync(_ledger.Options);
        _b = await Server.StartAsync(_ledger.Options);
    }

    [Fact]
    public async Task a_key_revoked_through_one_server_is_refused_by_the_other_within_one_second()
    {
        var admin = await _ledger.SendAsync(new CreateApiKey.Command("Root Admin", Role.Admin, "tests"));
        var checker = await _ledger.SendAsync(new CreateApiKey.Command("Leaving Checker", Role.Checker, "tests"));
        await _b.UntilCachedAsync(checker);

        var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/keys/{checker.Id}");
        revoke.Headers.Add(ApiKeyAuthentication.Header, admin.Key);
        Assert.Equal(HttpStatusCode.OK, (await _a.Http.SendAsync(revoke)).StatusCode);
        var clock = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.Unauthorized, await _a.StatusOfAsync("/claims", checker.Key));
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            status = await _b.StatusOfAsync("/claims", checker.Key);
        }

        // Without the notification server B would go on accepting the cached key for its whole lifetime (30 s).
        Assert.True(status == HttpStatusCode.Unauthorized, $"server B still answered {status} {clock.ElapsedMilliseconds} ms after the revocation");
        Assert.False(_b.Cache.TryGet(checker.Id, out _));
    }

    [Fact]
    public async Task a_verdict_written_through_one_server_is_read_at_once_from_the_other_and_its_etag_guards_both()
    {
        var checker = (await _ledger.SendAsync(new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"))).Key;
        var id = await _ledger.RecordTradeClaimAsync();
        Assert.Equal("\"1\"", (await _b.GetAsync($"/claims/{id}", checker)).Headers.ETag?.Tag);

        var verdict = Post($"/claims/{id}/verdicts", new { rating = "Mostly false", rationale = "yuan, not dollars", evidence = new[] { LedgerFixture.DeskNote() } }, ifMatch: 1);
        verdict.Headers.Add(ApiKeyAuthentication.Header, checker);
        var written = await _a.Http.SendAsync(verdict);
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);

        var read = await _b.GetAsync($"/claims/{id}", checker);
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        var claim = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MostlyFalse", claim.GetProperty("verdict").GetProperty("rating").GetString());
        Assert.Equal("Mei Lin", claim.GetProperty("verdict").GetProperty("actor").GetString());

        // Server B knows the claim moved on: a write there against the version server A replaced is refused as stale.
        var stale = Post($"/claims/{id}/disputes", new { reason = "read before the verdict", evidence = new[] { LedgerFixture.DeskNote() } }, ifMatch: 1);
        stale.Headers.Add(ApiKeyAuthentication.Header, checker);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _b.Http.SendAsync(stale)).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    private sealed class Server(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new() { BaseAddress = new Uri(app.Urls.Single()) };

        public ApiKeyCache Cache => app.Services.GetRequiredService<ApiKeyCache>();

        public static async Task<Server> StartAsync(Common.ClaimLedgerOptions ledger)
        {
            var app = ApiHost.Build(ledger, new ApiOptions(MaxBodyBytes: 64 * 1024), builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
            await app.StartAsync();
            return new Server(app);
        }

        public async Task<HttpResponseMessage> GetAsync(string path, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(ApiKeyAuthentication.Header, key);
            return await Http.SendAsync(request);
        }

        public async Task<HttpStatusCode> StatusOfAsync(string path, string key) => (await GetAsync(path, key)).StatusCode;

        /// <summary>Uses the key here until this server holds it in its cache (it caches only once its listener listens).</summary>
        public async Task UntilCachedAsync(CreateApiKey.Created key)
        {
            var clock = Stopwatch.StartNew();
            while (!Cache.TryGet(key.Id, out _))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the server never cached the key: is its listener listening?");
                Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/claims", key.Key));
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.DisposeAsync();
        }
    }
}
