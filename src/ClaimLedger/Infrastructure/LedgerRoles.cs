using ClaimLedger.Ledger;
using Marten;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Two database roles instead of one superuser. The owner runs migrations and owns every table, function and trigger;
/// the CLI and the server connect as the application role, which may read, append to the event log and the ledger, and
/// keep documents and read models current, but may not change or remove history, alter or drop a table, disable a
/// trigger or skip triggers with <c>session_replication_role</c> (only owners and superusers can do those).
/// </summary>
public static class LedgerRoles
{
    public const string Owner = "claimledger_owner";
    public const string Application = "claimledger_app";

    /// <summary>
    /// What the application role may do in <paramref name="schema"/>, as idempotent SQL run by the owner after each migration:
    /// history is select and insert only (events, and ledger entries into the queue: only the sequencing function, which
    /// runs as the owner, moves them into the sequenced log and numbers them; published checkpoints and cosignatures); stream heads also take updates (Marten moves a
    /// stream's version on each append); documents, read models, Marten's bookkeeping tables and matching's derived tables
    /// (other fact-checkers' reviews, claim embeddings) take every row change.
    /// Anything added later gets select only until this script names it.
    /// </summary>
    public static string GrantScript(string schema, string role) => $"""
        GRANT USAGE ON SCHEMA {schema} TO {role};
        REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role};
        GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role};
        GRANT INSERT ON {schema}.{SequencerSchema.QueueTable}, {schema}.mt_events TO {role};
        GRANT INSERT ON {schema}.{CheckpointSchema.CheckpointsTable}, {schema}.{CheckpointSchema.CosignaturesTable} TO {role};
        GRANT INSERT, UPDATE ON {schema}.mt_streams TO {role};
        DO $grants$
        DECLARE t record;
        BEGIN
          FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p')
                     AND (c.relname LIKE 'mt\_doc\_%' OR c.relname IN ('mt_event_progression', 'mt_high_water_skips', 'mt_event_projection_floors',
                                                                        '{Matching.MatchingSchema.ReviewsTable}', '{Matching.MatchingSchema.ClaimsTable}'))
          LOOP
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON {schema}.%I TO {role}', t.relname);
          END LOOP;
        END
        $grants$;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role};
        """;

    /// <summary>
    /// Brings the schema up to this build's as the connected role (the owner), then grants <paramref name="applicationRole"/>
    /// what the CLI and the server need. Returns false when that role does not exist, so nothing was granted.
    /// </summary>
    public static async Task<bool> MigrateAsync(string ownerConnectionString, string schema, string applicationRole, CancellationToken ct = default)
    {
        using (var store = DocumentStore.For(opts => LedgerStore.Configure(opts, ownerConnectionString, schema, autoCreate: true)))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        if (!await RoleExistsAsync(connection, applicationRole, ct))
        {
            return false;
        }

        await using var grant = new NpgsqlCommand(GrantScript(schema, Quote(applicationRole)), connection);
        await grant.ExecuteNonQueryAsync(ct);
        return true;
    }

    /// <summary>Creates a login role; for the embedded cluster and for <c>db migrate --create-app-role</c>.</summary>
    public static async Task CreateLoginAsync(NpgsqlConnection admin, string role, string password, CancellationToken ct = default)
    {
        var verb = await RoleExistsAsync(admin, role, ct) ? "ALTER" : "CREATE";
        // Passwords cannot be bound as parameters in role statements; this one is generated or given by the operator.
        await using var command = new NpgsqlCommand(
            $"{verb} ROLE {Quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {Literal(password)}", admin);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @role", connection);
        command.Parameters.AddWithValue("role", role);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>
    /// Gives the schema and everything in it to <paramref name="owner"/>: for ledgers created before the roles were split,
    /// whose objects the cluster's superuser owns. Run by a superuser.
    /// </summary>
    public static string HandOverScript(string schema, string owner) => $"""
        DO $handover$
        DECLARE o record;
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{schema}') THEN
            RETURN;
          END IF;
          EXECUTE 'ALTER SCHEMA {schema} OWNER TO {owner}';
          FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
          LOOP
            EXECUTE format('ALTER %s {schema}.%I OWNER TO {owner}',
              CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, o.relname);
          END LOOP;
          FOR o IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{schema}'
          LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', o.signature);
          END LOOP;
        END
        $handover$;
        """;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
