using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimLedger.Cli.Hosting;

/// <summary>The ledger as one CLI command sees it: the composition root over the configured or embedded database.</summary>
internal sealed class LedgerClient : IAsyncDisposable
{
    public const string ConnectionVariable = "CLAIMLEDGER_CONNECTION";

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private LedgerClient(ServiceProvider provider)
    {
        _provider = provider;
        _scope = provider.CreateAsyncScope();
    }

    public IMediator Mediator => _scope.ServiceProvider.GetRequiredService<IMediator>();

    public Task<T> Send<T>(IRequest<T> request, CancellationToken ct) => Mediator.Send(request, ct);

    public T Service<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>
    /// An explicit connection (option, then environment) is treated as production: the schema is never created
    /// implicitly there. Without one, the embedded cluster is started and migrates itself.
    /// </summary>
    public static async Task<LedgerClient> OpenAsync(string? connection, CancellationToken ct, ClaimLedger.Transparency.TransparencyOptions? transparency = null)
    {
        var options = await OptionsAsync(connection, ct);
        var services = new ServiceCollection();
        services.AddClaimLedger(options);
        if (transparency is not null)
        {
            services.AddSingleton(transparency);
        }

        var client = new LedgerClient(services.BuildServiceProvider());
        if (options.AutoCreateSchema)
        {
            await client.MigrateEmbeddedAsync(options, ct);
        }

        return client;
    }

    /// <summary>
    /// Brings the embedded cluster's schema up to this build's, once per build: the import, verification and rebuild
    /// write and read the tables with plain SQL, which Marten's create-on-first-use never sees.
    /// </summary>
    private async Task MigrateEmbeddedAsync(ClaimLedgerOptions options, CancellationToken ct)
    {
        var marker = Path.Combine(LocalPostgres.DefaultHome(), "schema-applied");
        var build = typeof(LedgerStore).Assembly.ManifestModule.ModuleVersionId.ToString();
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var present = new NpgsqlCommand(
                $"select to_regclass('{options.Schema}.{Ledger.LedgerSchema.TableName}') is not null and to_regclass('{options.Schema}.mt_doc_claim') is not null", connection);
            if ((bool)(await present.ExecuteScalarAsync(ct))! && File.Exists(marker) && await File.ReadAllTextAsync(marker, ct) == build)
            {
                return;
            }
        }

        await Service<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await File.WriteAllTextAsync(marker, build, ct);
    }

    /// <summary>Checkpoint signing as configured by the environment: the key file in the ledger's home unless $CLAIMLEDGER_SIGNING_KEY names one.</summary>
    public static ClaimLedger.Transparency.TransparencyOptions DefaultTransparency() =>
        ClaimLedger.Transparency.TransparencyOptions.InHome(LocalPostgres.DefaultHome());

    public static async Task<ClaimLedgerOptions> OptionsAsync(string? connection, CancellationToken ct)
    {
        var configured = connection ?? Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new ClaimLedgerOptions(configured, AutoCreateSchema: false);
        }

        var cluster = await new LocalPostgres(LocalPostgres.DefaultHome())
            .EnsureRunningAsync(message => Console.Error.WriteLine(message), ct);
        return new ClaimLedgerOptions(cluster.ConnectionString, AutoCreateSchema: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
