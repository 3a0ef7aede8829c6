using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimLedger.Cli.Hosting;

/// <summary>The ledger as one CLI command sees it: the composition root over the configured or embedded database.</summary>
internal sealed class LedgerClient : IAsyncDisposable
{
    public const string ConnectionVariable = "CLAIMLEDGER_CONNECTION";
    public const string ReadsVariable = "CLAIMLEDGER_READS";

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
    /// implicitly there. Without one, the embedded cluster is started and migrated by its owner role.
    /// </summary>
    public static async Task<LedgerClient> OpenAsync(
        string? connection, CancellationToken ct, ClaimLedger.Transparency.TransparencyOptions? transparency = null, bool staleReadsFromStandby = false)
    {
        var services = new ServiceCollection();
        services.AddClaimLedger(await OptionsAsync(connection, ct) with { StaleReadsFromStandby = staleReadsFromStandby });
        if (transparency is not null)
        {
            services.AddSingleton(transparency);
        }

        return new LedgerClient(services.BuildServiceProvider());
    }

    /// <summary>
    /// The configured connection, else the embedded cluster's application role, after the owner role has brought the
    /// schema up to this build's (once per build: the import, verification and rebuild use the tables with plain SQL,
    /// and the application role may not create anything).
    /// </summary>
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
        await MigrateEmbeddedAsync(cluster, force: false, ct);
        return new ClaimLedgerOptions(cluster.ApplicationConnectionString, AutoCreateSchema: false);
    }

    public static async Task MigrateEmbeddedAsync(LocalCluster cluster, bool force, CancellationToken ct)
    {
        var marker = Path.Combine(cluster.Home, "schema-applied");
        var build = typeof(LedgerStore).Assembly.ManifestModule.ModuleVersionId.ToString();
        if (!force && File.Exists(marker) && await File.ReadAllTextAsync(marker, ct) == build)
        {
            await using var connection = new NpgsqlConnection(cluster.OwnerConnectionString);
            await connection.OpenAsync(ct);
            await using var present = new NpgsqlCommand(
                $"select to_regclass('{LedgerStore.DefaultSchema}.{Ledger.LedgerSchema.TableName}') is not null and to_regclass('{LedgerStore.DefaultSchema}.mt_doc_claim') is not null", connection);
            if ((bool)(await present.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }

        await LedgerRoles.MigrateAsync(cluster.OwnerConnectionString, LedgerStore.DefaultSchema, LedgerRoles.Application, ct);
        await UpgradeAsync(cluster.OwnerConnectionString, ct);
        await File.WriteAllTextAsync(marker, build, ct);
    }

    /// <summary>Rebuilds read models an earlier build projected, saying so, after the schema is brought up to date.</summary>
    public static async Task UpgradeAsync(string ownerConnectionString, CancellationToken ct)
    {
        if (await Operations.UpgradeReadModels.IfOutdatedAsync(ownerConnectionString, LedgerStore.DefaultSchema, ct) is { } rebuilt)
        {
            Console.Error.WriteLine($"Rebuilt {rebuilt.Claims:N0} claims' read models from {rebuilt.Events:N0} events for this version of ClaimLedger.");
        }

        if (await Operations.AdoptRecords.IfNeededAsync(ownerConnectionString, LedgerStore.DefaultSchema, TimeProvider.System, ct) is { } adopted)
        {
            Console.Error.WriteLine(
                $"Adopted {adopted.Documents:N0} documents and {adopted.Keys:N0} API keys, registered by an earlier version, into the ledger as of {adopted.AdoptedAt:u} (marked as adopted).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
