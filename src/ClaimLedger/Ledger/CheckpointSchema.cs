using System.Data.Common;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ClaimLedger.Ledger;

/// <summary>
/// Every signed checkpoint the log published and every witness cosignature it accepted (migrations/0004_checkpoints.sql),
/// kept in the database so every server serves the same ones, and append-only like the ledger, so the history of what
/// the log signed is itself evidence: <c>audit verify</c> checks the ledger against each of them as against a kept digest.
/// </summary>
public static class CheckpointSchema
{
    public const string CheckpointsTable = "cl_checkpoints";
    public const string CosignaturesTable = "cl_cosignatures";

    public static IEnumerable<ISchemaObject> Objects(string schema)
    {
        var checkpoints = new Table(new PostgresqlObjectName(schema, CheckpointsTable, SchemaUtils.IdentifierUsage.General));
        checkpoints.AddColumn("origin", "varchar").AsPrimaryKey();
        checkpoints.AddColumn<long>("tree_size").AsPrimaryKey();
        checkpoints.AddColumn("root_hash", "bytea").NotNull();
        // The checkpoint each one extends (-1 for an origin's first): unique, so two publishers that read the same latest
        // checkpoint cannot both append after it. The loser's insert does nothing, and the history stays one line.
        checkpoints.AddColumn<long>("extends_size").NotNull();
        checkpoints.AddColumn("note", "text").NotNull();
        checkpoints.AddColumn("published_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        checkpoints.Indexes.Add(new IndexDefinition($"{CheckpointsTable}_extends") { Columns = ["origin", "extends_size"], IsUnique = true });
        checkpoints.Indexes.Add(new IndexDefinition($"{CheckpointsTable}_tree_size") { Columns = ["tree_size"] });

        var cosignatures = new Table(new PostgresqlObjectName(schema, CosignaturesTable, SchemaUtils.IdentifierUsage.General));
        cosignatures.AddColumn("origin", "varchar").AsPrimaryKey();
        cosignatures.AddColumn<long>("tree_size").AsPrimaryKey();
        cosignatures.AddColumn("witness", "varchar").AsPrimaryKey();
        cosignatures.AddColumn<long>("key_id").AsPrimaryKey();
        cosignatures.AddColumn("line", "text").NotNull();
        cosignatures.AddColumn("cosigned_at", "timestamp with time zone").NotNull();
        cosignatures.AddColumn("received_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        cosignatures.ForeignKeys.Add(new ForeignKey($"{CosignaturesTable}_checkpoint")
        {
            ColumnNames = ["origin", "tree_size"],
            LinkedNames = ["origin", "tree_size"],
            LinkedTable = checkpoints.Identifier,
        });

        return [checkpoints, cosignatures, new AppendOnly(schema)];
    }

    /// <summary>The same guards as the ledger table's: every UPDATE, DELETE and TRUNCATE is refused, whoever asks.</summary>
    private sealed class AppendOnly(string schema) : ISchemaObject
    {
        private const string RefuseFunction = "cl_ledger_refuse_change";
        private static readonly string[] Tables = [CheckpointsTable, CosignaturesTable];

        public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, $"{CheckpointsTable}_append_only", SchemaUtils.IdentifierUsage.General);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            foreach (var table in Tables)
            {
                writer.WriteLine($"""
                    DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {schema}.{table};
                    CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {schema}.{table} FOR EACH ROW EXECUTE FUNCTION {schema}.{RefuseFunction}();
                    DROP TRIGGER IF EXISTS {table}_no_truncate ON {schema}.{table};
                    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {schema}.{table} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{RefuseFunction}();
                    """);
            }
        }

        public void WriteDropStatement(Migrator migrator, TextWriter writer)
        {
            foreach (var table in Tables)
            {
                writer.WriteLine($"DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {schema}.{table};");
                writer.WriteLine($"DROP TRIGGER IF EXISTS {table}_no_truncate ON {schema}.{table};");
            }
        }

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append($"""
                select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = '{schema}' and c.relname in ('{CheckpointsTable}', '{CosignaturesTable}')
                  and t.tgname in ({string.Join(", ", Tables.SelectMany(t => new[] { $"'{t}_no_update_or_delete'", $"'{t}_no_truncate'" }))});
                """);

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var present = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
            return new SchemaObjectDelta(this, present == 2 * Tables.Length ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames() => [Identifier];
    }
}

/// <summary>A checkpoint as stored, read by verification: the tree it vouches for, and when it was published.</summary>
public sealed record StoredCheckpoint(string Origin, long TreeSize, byte[] RootHash, DateTimeOffset PublishedAt)
{
    public string RootHex => Convert.ToHexStringLower(RootHash);
}
