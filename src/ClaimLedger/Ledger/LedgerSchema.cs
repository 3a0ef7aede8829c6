using System.Data.Common;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ClaimLedger.Ledger;

/// <summary>
/// The ledger table, registered with Marten so it is created, migrated and exported with everything else:
/// one row per event, numbered in commit order by the sequencer, holding the event's entry hash and the hash it chains to.
/// </summary>
public static class LedgerSchema
{
    public const string TableName = "cl_ledger_entries";

    /// <summary>
    /// Taken by every transaction that appends to this table, so positions are gap-free: by the sequencer
    /// (<see cref="SequencerSchema"/>), the one appender since migration 0003, and by the position trigger for a row
    /// inserted without a position by anything else. Writers of claims never take it: their entries go to the queue.
    /// </summary>
    internal const long AppendLockKey = 0x436c_4c65_6467_6572;

    public static IEnumerable<ISchemaObject> Objects(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<long>("position").AsPrimaryKey();
        table.AddColumn("stream_id", "varchar").NotNull();
        table.AddColumn<long>("version").NotNull();
        table.AddColumn<Guid>("event_id").NotNull();
        table.AddColumn("entry_hash", "bytea").NotNull();
        table.AddColumn("prev_hash", "bytea").NotNull();
        table.AddColumn<int>("encoding").NotNull();
        table.AddColumn("written_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        table.Indexes.Add(new IndexDefinition($"{TableName}_stream_version") { Columns = ["stream_id", "version"], IsUnique = true });
        return [table, new LedgerTriggers(schema)];
    }

    /// <summary>
    /// The table's triggers: every UPDATE, DELETE and TRUNCATE is refused, since the ledger is only ever appended to;
    /// and a row inserted without a position gets the next one under <see cref="AppendLockKey"/>. The sequencer
    /// (<see cref="SequencerSchema"/>) takes that lock and numbers its rows itself, so the trigger only numbers rows
    /// inserted by anything else, and they too stay gap-free; verification checks that positions have no gaps.
    /// </summary>
    private sealed class LedgerTriggers(string schema) : ISchemaObject
    {
        private const string Function = "cl_ledger_refuse_change";
        private const string PositionFunction = "cl_ledger_next_position";
        private const string RowTrigger = "cl_ledger_no_update_or_delete";
        private const string TruncateTrigger = "cl_ledger_no_truncate";
        private const string PositionTrigger = "cl_ledger_position";

        public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, Function, SchemaUtils.IdentifierUsage.Function);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"""
                CREATE OR REPLACE FUNCTION {schema}.{Function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'the ClaimLedger ledger is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                DROP TRIGGER IF EXISTS {RowTrigger} ON {schema}.{TableName};
                CREATE TRIGGER {RowTrigger} BEFORE UPDATE OR DELETE ON {schema}.{TableName} FOR EACH ROW EXECUTE FUNCTION {schema}.{Function}();
                DROP TRIGGER IF EXISTS {TruncateTrigger} ON {schema}.{TableName};
                CREATE TRIGGER {TruncateTrigger} BEFORE TRUNCATE ON {schema}.{TableName} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{Function}();
                CREATE OR REPLACE FUNCTION {schema}.{PositionFunction}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_advisory_xact_lock({AppendLockKey});
                  NEW.position := coalesce((SELECT max(position) FROM {schema}.{TableName}), 0) + 1;
                  RETURN NEW;
                END
                $$;
                DROP TRIGGER IF EXISTS {PositionTrigger} ON {schema}.{TableName};
                CREATE TRIGGER {PositionTrigger} BEFORE INSERT ON {schema}.{TableName} FOR EACH ROW WHEN (NEW.position IS NULL) EXECUTE FUNCTION {schema}.{PositionFunction}();
                """);
        }

        public void WriteDropStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"DROP TRIGGER IF EXISTS {RowTrigger} ON {schema}.{TableName};");
            writer.WriteLine($"DROP TRIGGER IF EXISTS {TruncateTrigger} ON {schema}.{TableName};");
            writer.WriteLine($"DROP TRIGGER IF EXISTS {PositionTrigger} ON {schema}.{TableName};");
            writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{Function}();");
            writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{PositionFunction}();");
        }

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append($"""
                select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = '{schema}' and c.relname = '{TableName}'
                  and (t.tgname in ('{RowTrigger}', '{TruncateTrigger}') or (t.tgname = '{PositionTrigger}' and t.tgqual is not null));
                """);

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var present = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
            return new SchemaObjectDelta(this, present == 3 ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames() => [Identifier];
    }
}
