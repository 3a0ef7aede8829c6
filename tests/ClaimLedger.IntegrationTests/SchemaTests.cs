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
    public async Task the_committed_migrations_match_the_marten_configuration()
    {
        foreach (var migration in await Migrations.ExpectedAsync())
        {
            var committed = await File.ReadAllTextAsync(Repository.Path("migrations", migration.File));

            Assert.True(committed.ReplaceLineEndings("\n") == migration.Sql,
                $"migrations/{migration.File} no longer matches the Marten configuration. Regenerate with: ./claimledger db script --migrations migrations");
        }
    }

    [Fact]
    public async Task a_ledger_built_by_the_first_migration_is_brought_up_to_date_by_the_later_ones()
    {
        var cluster = await TestCluster.GetAsync();
        var database = $"upgrade_{Guid.NewGuid():N}"[..20];
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database }.ConnectionString;
        await using (var upgrade = new NpgsqlConnection(connection))
        {
            await upgrade.OpenAsync();
            foreach (var migration in await Migrations.ExpectedAsync())
            {
                await using var apply = new NpgsqlCommand(await File.ReadAllTextAsync(Repository.Path("migrations", migration.File)), upgrade);
                await apply.ExecuteNonQueryAsync();
            }
        }

        using var store = DocumentStore.For(opts => LedgerStore.Configure(opts, connection, LedgerStore.DefaultSchema, autoCreate: false));
        await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
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
