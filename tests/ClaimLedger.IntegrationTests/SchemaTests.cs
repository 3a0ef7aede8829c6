using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

public class SchemaTests
{
    [Fact]
    public async Task the_committed_migration_matches_the_marten_configuration()
    {
        var committed = await File.ReadAllTextAsync(Repository.Path("migrations", "0001_initial.sql"));

        var generated = await LedgerStore.CreationScriptAsync();

        Assert.True(committed.ReplaceLineEndings("\n") == generated,
            "migrations/0001_initial.sql no longer matches the Marten configuration. Regenerate it with: ./claimledger db script --out migrations/0001_initial.sql");
    }

    [Fact]
    public async Task with_a_configured_connection_the_schema_is_only_created_by_db_migrate()
    {
        var cluster = await TestCluster.GetAsync();
        var options = new ClaimLedgerOptions(cluster.ConnectionString, $"prod_{Guid.NewGuid():N}"[..16], AutoCreateSchema: false);
        await using var provider = new ServiceCollection().AddClaimLedger(options).BuildServiceProvider();
        var store = provider.GetRequiredService<IDocumentStore>();

        await using (var session = store.QuerySession())
        {
            var missing = await Assert.ThrowsAnyAsync<Exception>(() => session.LoadAsync<Claim>("anything"));
            Assert.Contains(Flatten(missing), e => e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName });
        }

        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using var migrated = store.QuerySession();
        Assert.Null(await migrated.LoadAsync<Claim>("anything"));
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
