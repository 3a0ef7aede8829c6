using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClaimLedger.Api;
using ClaimLedger.Api.Security;
using ClaimLedger.Access;
using ClaimLedger.Ledger;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClaimLedger.IntegrationTests;

/// <summary>A defect inside a handler: logged exactly once, with the correlation id its problem body carries.</summary>
public sealed class UnexpectedErrorTests : IAsyncLifetime, IDisposable
{
    private readonly LedgerFixture _ledger = new();
    private readonly CapturingLogger _log = new();
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _app = ApiHost.Build(_ledger.Options, new ApiOptions(), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Services.AddScoped<IRequestHandler<GetDigest.Query, Digest>, BrokenDigest>();
            builder.Logging.AddProvider(_log);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task an_unexpected_exception_is_logged_once_at_error_level_with_the_correlation_id_of_its_500()
    {
        var key = (await _ledger.SendAsync(new CreateApiKey.Command("Ada Auditor", Role.Auditor, "tests"))).Key;
        var client = _app!.GetTestClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);

        var response = await client.GetAsync("/audit/digest");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var correlation = problem.GetProperty("correlationId").GetString()!;
        var errors = _log.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("digest store is broken", problem.ToString(), StringComparison.Ordinal);
        var logged = Assert.Single(errors);
        Assert.Contains(correlation, logged.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    private sealed class BrokenDigest : IRequestHandler<GetDigest.Query, Digest>
    {
        public Task<Digest> Handle(GetDigest.Query request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("digest store is broken");
    }

    private sealed record Entry(LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLogger : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));

        public void Dispose()
        {
        }
    }
}
