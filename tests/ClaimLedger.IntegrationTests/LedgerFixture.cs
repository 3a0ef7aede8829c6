using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The ledger in its own schema of the shared test cluster, wired by the same composition root as the CLI.
/// Tests send the same MediatR requests the CLI and the API send.
/// </summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    private static int _schemas;
    private ServiceProvider? _provider;

    /// <summary>The clock the ledger reads instead of the system's, for tests that hold writers at a chosen moment.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>False for a ledger that starts empty, without the three documents most tests cite (such as one loaded from a dump).</summary>
    public bool RegistersDocuments { get; init; } = true;

    /// <summary>Checkpoint signing and witness options; null for the defaults.</summary>
    public ClaimLedger.Transparency.TransparencyOptions? Transparency { get; init; }

    public static readonly WriteContext MeiLin = new("Mei Lin", "corr-test");
    public const string CnnText = "China and Russia said trade hit 1.28 trillion yuan in 2022. Wang Yi visited Moscow on Wednesday.";
    public const string GlobalTimesText = "Bilateral trade reached 1.28 trillion yuan last year, officials said.";
    public const string DeskNoteText = "Customs data: China-Russia trade in 2022 was 1.28 trillion yuan.";

    public string Schema { get; } = $"t{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid():N}"[..20];
    public IDocumentStore Store => _provider!.GetRequiredService<IDocumentStore>();
    public ClaimLedgerOptions Options { get; private set; } = null!;

    /// <summary>A singleton of the composition root, for tests that watch a background service.</summary>
    public T Service<T>() where T : notnull => _provider!.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var cluster = await TestCluster.GetAsync();
        Options = new ClaimLedgerOptions(cluster.ConnectionString, Schema, AutoCreateSchema: true);
        var services = new ServiceCollection().AddClaimLedger(Options);
        if (Clock is not null)
        {
            services.AddSingleton(Clock);
        }

        if (Transparency is not null)
        {
            services.AddSingleton(Transparency);
        }

        _provider = services.BuildServiceProvider();
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (!RegistersDocuments)
        {
            return;
        }

        await RegisterAsync("cnn-2023", "CNN", CnnText);
        await RegisterAsync("gt-2018", "Global Times", GlobalTimesText);
        await RegisterAsync("desk-note", "ClaimLedger research desk", DeskNoteText, DocumentKind.Evidence);
    }

    public async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = _provider!.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public Task<RegisterDocument.Result> RegisterAsync(string id, string publisher, string text, DocumentKind kind = DocumentKind.Article) =>
        SendAsync(new RegisterDocument.Command(id, publisher, $"{publisher} text", new DateOnly(2023, 2, 22), null, "en", kind, text, MeiLin));

    public static SourceRef Span(string documentId, string text, string excerpt)
    {
        var start = text.IndexOf(excerpt, StringComparison.Ordinal);
        return new SourceRef(documentId, start, start + excerpt.Length, excerpt);
    }

    public static SourceRef Cnn(string excerpt) => Span("cnn-2023", CnnText, excerpt);
    public static SourceRef GlobalTimes(string excerpt) => Span("gt-2018", GlobalTimesText, excerpt);
    public static SourceRef DeskNote(string excerpt = "China-Russia trade in 2022 was 1.28 trillion yuan") => Span("desk-note", DeskNoteText, excerpt);

    /// <summary>Records the trade claim under a fresh id and returns the id.</summary>
    public async Task<string> RecordTradeClaimAsync(string? id = null, WriteContext? context = null)
    {
        id ??= $"trade-{Guid.NewGuid():N}"[..18];
        await SendAsync(new RecordClaim.Command(id, ClaimKind.Quantity, "China-Russia trade hit 1.28 trillion yuan in 2022",
            new Dictionary<string, string?> { ["amount"] = "1.28 trillion", ["unit"] = "yuan", ["period"] = "2022" },
            Cnn("trade hit 1.28 trillion yuan in 2022"), context ?? MeiLin));
        return id;
    }

    /// <summary>Claim events only: Marten's tombstone placeholders for failed transactions are not history, and documents' and keys' streams are not claims.</summary>
    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey != Ledger.LedgerRows.MartenTombstoneStream
                && !e.StreamKey!.StartsWith(LedgerStreamIds.DocumentPrefix) && !e.StreamKey.StartsWith(LedgerStreamIds.ApiKeyPrefix))
            .CountAsync();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}
