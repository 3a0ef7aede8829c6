using System.Net.Http.Headers;
using System.Net.Http.Json;
using ClaimLedger.Access;
using ClaimLedger.Api;
using ClaimLedger.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace ClaimLedger.IntegrationTests;

/// <summary>The HTTP API on an in-memory test server, over its own schema of the test cluster, with a key per role.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();
    private WebApplication? _app;

    public LedgerFixture Ledger => _ledger;
    public string CheckerKey { get; private set; } = "";
    public string AuditorKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string RevokedKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _app = ApiHost.Build(_ledger.Options, new ApiOptions(MaxBodyBytes: 64 * 1024), builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        CheckerKey = (await _ledger.SendAsync(new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"))).Key;
        AuditorKey = (await _ledger.SendAsync(new CreateApiKey.Command("Ada Auditor", Role.Auditor, "tests"))).Key;
        AdminKey = (await _ledger.SendAsync(new CreateApiKey.Command("Root Admin", Role.Admin, "tests"))).Key;
        var revoked = await _ledger.SendAsync(new CreateApiKey.Command("Gone Checker", Role.Checker, "tests"));
        await _ledger.SendAsync(new RevokeApiKey.Command(revoked.Id, "tests"));
        RevokedKey = revoked.Key;
    }

    public HttpClient Client(string? key = null)
    {
        var client = _app!.GetTestClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        }

        return client;
    }

    public static HttpRequestMessage Post(string path, object body, long? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        return request;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _ledger.DisposeAsync();
    }
}
