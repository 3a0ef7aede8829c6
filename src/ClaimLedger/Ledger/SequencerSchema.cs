using System.Data.Common;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ClaimLedger.Ledger;

/// <summary>
/// Where writers put their ledger entries, and the one function that numbers them (migrations/0003_sequencer.sql).
/// A write commits its events and its claim's chained entry into the queue, with no lock shared by other claims;
/// <c>cl_ledger_sequence</c> later moves what has committed into <see cref="LedgerSchema.TableName"/> with the next
/// gap-free positions. docs/audit.md ("Sequencing") says why the positions follow commit order.
/// </summary>
public static class SequencerSchema
{
    public const string QueueTable = "cl_ledger_queue";
    public const string TicketSequence = "cl_ledger_tickets";
    public const string SequenceFunction = "cl_ledger_sequence";

    public static IEnumerable<ISchemaObject> Objects(string schema)
    {
        var tickets = new Sequence(new PostgresqlObjectName(schema, TicketSequence, SchemaUtils.IdentifierUsage.General));
        var queue = new Table(new PostgresqlObjectName(schema, QueueTable, SchemaUtils.IdentifierUsage.General));
        // Taken when the row is inserted, not when it commits: it orders entries within one sequencing batch only.
        queue.AddColumn("ticket", "bigint").AsPrimaryKey().DefaultValueByExpression($"nextval('{schema}.{TicketSequence}')");
        queue.AddColumn("stream_id", "varchar").NotNull();
        queue.AddColumn<long>("version").NotNull();
        queue.AddColumn<Guid>("event_id").NotNull();
        queue.AddColumn("entry_hash", "bytea").NotNull();
        queue.AddColumn("prev_hash", "bytea").NotNull();
        queue.AddColumn<int>("encoding").NotNull();
        queue.AddColumn("written_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        queue.Indexes.Add(new IndexDefinition($"{QueueTable}_stream_version") { Columns = ["stream_id", "version"], IsUnique = true });
        return [tickets, queue, new Sequencing(schema)];
    }

    public static string InsertSql(string schema) =>
        $"insert into {schema}.{QueueTable} (stream_id, version, event_id, entry_hash, prev_hash, encoding) " +
        $"values (?, ?, ?, ?, ?, {EntryHash.EncodingVersion})";

    /// <summary>
    /// A claim's newest entry hash, sequenced or not, read in one statement so an entry being moved by the sequencer is
    /// seen exactly once. A claim's queued entries are always newer than its sequenced ones. Both placeholders take the stream id.
    /// </summary>
    public static string LastHashSql(string schema) =>
        $"select coalesce((select entry_hash from {schema}.{QueueTable} where stream_id = ? order by version desc limit 1), " +
        $"(select entry_hash from {schema}.{LedgerSchema.TableName} where stream_id = ? order by version desc limit 1))";

    /// <summary>
    /// The queue's triggers (no UPDATE, no TRUNCATE: an entry only ever leaves it through the sequencer) and the
    /// sequencing function. The function runs as the schema's owner, so the application role may append to the queue and
    /// call it, but may delete no queued entry itself (<see cref="Infrastructure.LedgerRoles"/>).
    /// </summary>
    private sealed class Sequencing(string schema) : ISchemaObject
    {
        private const string RowTrigger = "cl_ledger_queue_no_update";
        private const string TruncateTrigger = "cl_ledger_queue_no_truncate";
        private const string RefuseFunction = "cl_ledger_refuse_change";

        public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, SequenceFunction, SchemaUtils.IdentifierUsage.Function);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"""
                DROP TRIGGER IF EXISTS {RowTrigger} ON {schema}.{QueueTable};
                CREATE TRIGGER {RowTrigger} BEFORE UPDATE ON {schema}.{QueueTable} FOR EACH ROW EXECUTE FUNCTION {schema}.{RefuseFunction}();
                DROP TRIGGER IF EXISTS {TruncateTrigger} ON {schema}.{QueueTable};
                CREATE TRIGGER {TruncateTrigger} BEFORE TRUNCATE ON {schema}.{QueueTable} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{RefuseFunction}();
                CREATE OR REPLACE FUNCTION {schema}.{SequenceFunction}(max_entries integer) RETURNS bigint
                  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                DECLARE
                  last_position bigint;
                  moved bigint;
                BEGIN
                  -- One sequencer at a time; writers never take this lock.
                  PERFORM pg_advisory_xact_lock({LedgerSchema.AppendLockKey});
                  -- Each statement below reads a snapshot taken after the lock: it sees the previous batch, and only
                  -- entries whose transactions have committed. Later commits wait for the next batch.
                  SELECT coalesce(max(position), 0) INTO last_position FROM {schema}.{LedgerSchema.TableName};
                  WITH batch AS (
                    DELETE FROM {schema}.{QueueTable}
                    WHERE ticket IN (SELECT ticket FROM {schema}.{QueueTable} ORDER BY ticket LIMIT max_entries)
                    RETURNING ticket, stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at
                  )
                  INSERT INTO {schema}.{LedgerSchema.TableName} (position, stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at)
                  SELECT last_position + row_number() OVER (ORDER BY ticket), stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at
                  FROM batch;
                  GET DIAGNOSTICS moved = ROW_COUNT;
                  RETURN moved;
                END
                $$;
                """);
        }

        public void WriteDropStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"DROP TRIGGER IF EXISTS {RowTrigger} ON {schema}.{QueueTable};");
            writer.WriteLine($"DROP TRIGGER IF EXISTS {TruncateTrigger} ON {schema}.{QueueTable};");
            writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{SequenceFunction}(integer);");
        }

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append($"""
                select (select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = '{schema}' and c.relname = '{QueueTable}' and t.tgname in ('{RowTrigger}', '{TruncateTrigger}'))
                     + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                        where n.nspname = '{schema}' and p.proname = '{SequenceFunction}' and p.prosecdef);
                """);

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var present = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
            return new SchemaObjectDelta(this, present == 3 ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames() => [Identifier];
    }
}
