using System.Text.Json;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using ClaimLedger.Transparency;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A hostile holder of the connection string the CLI and the server use (issue 12, item 8): with it alone, the ledger's
/// history cannot be changed, its triggers cannot be switched off or skipped, and nothing can be dropped or created.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LeastPrivilegeTests(LeastPrivilegeTests.SeededEmbeddedLedger ledger) : IClassFixture<LeastPrivilegeTests.SeededEmbeddedLedger>
{
    /// <summary>An embedded cluster in its own home, the seeds imported by the CLI, as a user starts out.</summary>
    public sealed class SeededEmbeddedLedger : IAsyncLifetime
    {
        public string Home { get; } = Path.Combine(Path.GetTempPath(), $"claimledger-roles-{Guid.NewGuid():N}"[..34]);
        private LocalPostgres _postgres = null!;
        public (int Exit, string Out, string Error) Import { get; private set; }

        public async Task InitializeAsync()
        {
            _postgres = TestCluster.Create(Home);
            await _postgres.EnsureRunningAsync();
            Import = await CliTests.RunWithHome("", Home, "import", Repository.Path("seeds"));
        }

        public Task DisposeAsync()
        {
            _postgres.Stop(immediate: true);
            Directory.Delete(Home, recursive: true);
            return Task.CompletedTask;
        }
    }

    private Task<(int Exit, string Out, string Error)> Cli(params string[] arguments) => CliTests.RunWithHome("", ledger.Home, arguments);

    private async Task<string> ApplicationConnectionAsync()
    {
        var status = await Cli("db", "status", "--json");
        return JsonDocument.Parse(status.Out).RootElement.GetProperty("connectionString").GetString()!;
    }

    [Fact]
    public async Task the_cli_runs_as_a_role_that_is_neither_superuser_nor_owner_and_still_imports_writes_verifies_and_rebuilds()
    {
        var import = ledger.Import;
        var dispute = await Cli("claims", "dispute", "us-possible-tariffs-100-billion-april-2018", "--reason", "checking the role split", "--idempotency-key", "roles-1", "--json");
        var again = await Cli("claims", "dispute", "us-possible-tariffs-100-billion-april-2018", "--reason", "checking the role split", "--idempotency-key", "roles-1", "--json");
        var key = await Cli("keys", "add", "--person", "Mei Lin", "--role", "checker");
        var keyId = (await Cli("keys", "list", "--json")).Out;
        var revoke = await Cli("keys", "revoke", JsonDocument.Parse(keyId).RootElement[0].GetProperty("id").GetString()!);
        var rebuild = await Cli("db", "rebuild", "--json");
        var verify = await Cli("audit", "verify", "--json");

        Assert.True(import.Exit == 0, import.Error);
        Assert.True(dispute.Exit == 0, dispute.Error);
        Assert.Equal(dispute.Out, again.Out);
        Assert.True(key.Exit == 0 && revoke.Exit == 0, key.Error + revoke.Error);
        Assert.True(rebuild.Exit == 0, rebuild.Error);
        Assert.True(verify.Exit == 0, verify.Out + verify.Error);

        await using var connection = new NpgsqlConnection(await ApplicationConnectionAsync());
        await connection.OpenAsync();
        await using var who = new NpgsqlCommand(
            "select current_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb, n.nspowner = r.oid from pg_roles r, pg_namespace n where r.rolname = current_user and n.nspname = 'claimledger'", connection);
        await using var reader = await who.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((LedgerRoles.Application, false, false, false, false), (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
    }

    public static TheoryData<string> Attacks => new()
    {
        "ALTER TABLE claimledger.cl_ledger_entries DISABLE TRIGGER cl_ledger_no_update_or_delete",
        "ALTER TABLE claimledger.cl_ledger_entries DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "UPDATE claimledger.cl_ledger_entries SET entry_hash = prev_hash",
        "DELETE FROM claimledger.cl_ledger_entries",
        "TRUNCATE claimledger.cl_ledger_entries",
        "DROP TABLE claimledger.cl_ledger_entries",
        "DROP TRIGGER cl_ledger_no_update_or_delete ON claimledger.cl_ledger_entries",
        "CREATE OR REPLACE FUNCTION claimledger.cl_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "UPDATE claimledger.mt_events SET data = jsonb_set(data, '{statement}', '\"forged\"')",
        "UPDATE claimledger.mt_events SET is_archived = true",
        "DELETE FROM claimledger.mt_events",
        "CREATE TABLE claimledger.cl_shadow (id int)",
        "CREATE SCHEMA shadow",
        "ALTER ROLE claimledger_app SUPERUSER",
        "GRANT claimledger_owner TO claimledger_app",
        "COPY claimledger.cl_ledger_entries TO PROGRAM 'true'",
        // Entries reach the sequenced log only through cl_ledger_sequence, and leave the queue only that way.
        "INSERT INTO claimledger.cl_ledger_entries (position, stream_id, version, event_id, entry_hash, prev_hash, encoding) SELECT max(position) + 1, 'forged', 1, gen_random_uuid(), '\\x00', '\\x00', 1 FROM claimledger.cl_ledger_entries",
        "DELETE FROM claimledger.cl_ledger_queue",
        "UPDATE claimledger.cl_ledger_queue SET entry_hash = prev_hash",
        "TRUNCATE claimledger.cl_ledger_queue",
        // The published checkpoints and their cosignatures are history too.
        "UPDATE claimledger.cl_checkpoints SET note = ''",
        "DELETE FROM claimledger.cl_checkpoints",
        "TRUNCATE claimledger.cl_checkpoints CASCADE",
        "UPDATE claimledger.cl_cosignatures SET line = ''",
        "DELETE FROM claimledger.cl_cosignatures",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task with_the_applications_connection_string_an_attack_on_history_or_its_guards_is_refused_by_privileges(string attack)
    {
        Assert.True(ledger.Import.Exit == 0, ledger.Import.Error);
        await using var connection = new NpgsqlConnection(await ApplicationConnectionAsync());
        await connection.OpenAsync();
        var entriesBefore = await CountAsync(connection, "claimledger.cl_ledger_entries");

        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand(attack, connection);
            await command.ExecuteNonQueryAsync();
        });

        // 42501 alone would also be the ledger trigger's answer to a superuser's DELETE; the message tells a missing
        // privilege from the trigger, which a superuser can switch off.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.DoesNotContain("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(entriesBefore, await CountAsync(connection, "claimledger.cl_ledger_entries"));
    }

    [Fact]
    public async Task the_application_role_publishes_checkpoints_and_keeps_cosignatures_but_can_change_or_remove_neither()
    {
        Assert.True(ledger.Import.Exit == 0, ledger.Import.Error);
        var application = new ClaimLedgerOptions(await ApplicationConnectionAsync());
        using var log = NoteSignerKey.Generate("roles.claimledger.example/log", NoteSignatureType.Ed25519);
        using var witness = NoteSignerKey.Generate("roles.claimledger.example/witness", NoteSignatureType.CosignatureV1);
        var leaves = await LogTree.LeavesAsync(new LedgerRows(application), default);
        var checkpoint = new Checkpoint(log.Name, leaves.Count, MerkleTree.Root(leaves));
        var published = new PublishedCheckpoints(application);

        await published.PublishAsync(new SignedCheckpoint(checkpoint, SignedNote.Sign(checkpoint.Text, log)), default);
        var cosigned = await published.AddCosignaturesAsync(checkpoint, [(Cosignature.Sign(checkpoint, witness, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow)], default);

        await using var connection = new NpgsqlConnection(application.ConnectionString);
        await connection.OpenAsync();
        foreach (var attack in new[] { "UPDATE claimledger.cl_checkpoints SET tree_size = tree_size + 1", "DELETE FROM claimledger.cl_cosignatures" })
        {
            await using var command = new NpgsqlCommand(attack, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        var latest = await published.LatestAsync(default);
        Assert.NotNull(cosigned);
        Assert.Equal(cosigned.Note.Encoded, latest?.Note.Encoded);
        Assert.NotNull(Cosignature.VerifiedTime(latest!.Note, witness.Verifier));
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
