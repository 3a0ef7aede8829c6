using System.Net;
using ClaimLedger.Access;
using ClaimLedger.Api.Security;
using ClaimLedger.Api;
using ClaimLedger.Benchmarks;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using ClaimLedger.Seeds;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimLedger.IntegrationTests;

/// <summary>PostgreSQL stopped hard (pg_ctl stop -m immediate) under the importer and under the API, then started again.</summary>
[Trait("Category", "Slow")]
public sealed class DatabaseCrashTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"claimledger-crash-{Guid.NewGuid():N}"[..36]);
    private LocalPostgres _postgres = null!;
    private ClaimLedgerOptions _options = null!;

    public async Task InitializeAsync()
    {
        // Durable settings: with fsync or synchronous_commit off, a crash may lose acknowledged commits by design.
        _postgres = new LocalPostgres(_home);
        var cluster = await _postgres.EnsureRunningAsync();
        _options = new ClaimLedgerOptions(cluster.ConnectionString, "crash", AutoCreateSchema: true);
    }

    public Task DisposeAsync()
    {
        _postgres.Stop(immediate: true);
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    private async Task RestartAsync()
    {
        var cluster = await _postgres.EnsureRunningAsync();
        Assert.Equal(new Npgsql.NpgsqlConnectionStringBuilder(_options.ConnectionString).Port, cluster.Port);
    }

    [Fact]
    public async Task an_import_cut_off_by_a_crash_leaves_nothing_behind_and_the_rerun_imports_everything_once()
    {
        var corpus = Path.Combine(_home, "corpus");
        var (claims, steps) = CorpusGenerator.Generate(Repository.Path("seeds"), corpus, copies: 40);
        // The importing process dies with the database, as a CLI import would; nothing of it outlives the crash.
        var importing = await OwnLedger.StartAsync(_options);

        // The importer waits at its first full batch until the database is down, so the crash lands mid-import every time.
        var (batchReady, crashed) = (new TaskCompletionSource(), new TaskCompletionSource());
        var progress = new SynchronousProgress(p =>
        {
            if (p.Done > 0 && p.Done < p.Total && batchReady.TrySetResult())
            {
                crashed.Task.Wait();
            }
        });
        var import = Task.Run(() => importing.SendAsync(new ImportSeeds.Command(corpus, progress)));
        await Task.WhenAny(batchReady.Task, import);
        Assert.True(batchReady.Task.IsCompleted, "the import should have reached its first full batch");
        _postgres.Stop(immediate: true);
        crashed.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => import);
        await importing.DisposeAsync();

        await RestartAsync();

        // The rerun is a new claimledger process: a new store and fresh connections, not the crashed one's.
        await using var again = await OwnLedger.StartAsync(_options, createSchema: false);

        Npgsql.NpgsqlConnection.ClearAllPools();
        var afterCrash = await again.SendAsync(new VerifyLedger.Query());
        var rerun = await again.SendAsync(new ImportSeeds.Command(corpus));
        var second = await again.SendAsync(new ImportSeeds.Command(corpus));
        var verified = await again.SendAsync(new VerifyLedger.Query());

        Assert.Equal(0, afterCrash.Entries);
        Assert.Equal(0, afterCrash.Events);
        Assert.Equal(claims + steps, rerun.StepsApplied);
        Assert.Equal(0, rerun.StepsAlreadyPresent);
        Assert.Equal(0, second.StepsApplied);
        Assert.Equal(claims + steps, second.StepsAlreadyPresent);
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
        // Every claim and step, and the registration of every document the corpus holds.
        Assert.Equal(claims + steps + rerun.Documents, verified.Entries);
    }

    /// <summary>Reports on the importer's own thread, so the test sees progress the moment a batch goes out.</summary>
    private sealed class SynchronousProgress(Action<ImportSeeds.Progress> report) : IProgress<ImportSeeds.Progress>
    {
        public void Report(ImportSeeds.Progress value) => report(value);
    }

    [Fact]
    public async Task while_the_database_is_down_the_api_answers_503_and_recovers_by_itself_with_no_acknowledged_write_lost()
    {
        await using var app = ApiHost.Build(_options, new ApiOptions(), builder => builder.WebHost.UseTestServer());
        await app.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await app.StartAsync();
        var key = (await Send(app, new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"))).Key;
        await Send(app, new Documents.RegisterDocument.Command("cnn-2023", "CNN", "t", null, null, "en", Documents.DocumentKind.Article, LedgerFixture.CnnText, LedgerFixture.MeiLin));
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);

        var acknowledged = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await client.SendAsync(ApiFixture.Post("/claims", new { id = $"burst-{i}", kind = "Statement", statement = $"claim {i}", appearance = LedgerFixture.Cnn("China") }));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Add($"burst-{i}");
            }

            if (i == 9)
            {
                _postgres.Stop(immediate: true);
            }
        }

        var down = await client.GetAsync("/claims/burst-0");
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        await RestartAsync();
        HttpResponseMessage? recovered = null;
        for (var attempt = 0; attempt < 20 && recovered?.StatusCode != HttpStatusCode.OK; attempt++)
        {
            recovered = await client.GetAsync("/claims/burst-0");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, recovered!.StatusCode);
        Assert.Equal(10, acknowledged.Count);
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/claims/{id}")).StatusCode);
        }

        var verified = await Send(app, new VerifyLedger.Query());
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
    }

    private static async Task<T> Send<T>(Microsoft.AspNetCore.Builder.WebApplication app, MediatR.IRequest<T> request)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(request);
    }
}
