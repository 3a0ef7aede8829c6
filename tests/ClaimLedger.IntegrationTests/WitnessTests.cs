using System.Net;
using System.Net.Http.Json;
using ClaimLedger.Api;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using ClaimLedger.Transparency;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The log signs checkpoints and serves them with proofs; a witness keeps the last one it accepted and cosigns only a
/// checkpoint that extends it. Each test gets its own ledger, since some rewrite it by SQL, and its own keys.
/// </summary>
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WitnessTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("claimledger-witness-").FullName;
    private readonly List<WebApplication> _servers = [];
    private NoteSignerKey _logKey = null!;
    private NoteSignerKey _witnessKey = null!;
    private TransparencyOptions _transparency = null!;
    private LedgerFixture _ledger = null!;
    private WebApplication _server = null!;

    private string StatePath => Path.Combine(_folder, "witness-state.txt");

    /// <summary>The log's first entries: the fixture's three document registrations, before the three claim events below.</summary>
    private const int Registrations = 3;

    public async Task InitializeAsync()
    {
        _logKey = SigningKeyFile.Create(Path.Combine(_folder, "log.key"), "test.claimledger.example/log", NoteSignatureType.Ed25519);
        _witnessKey = SigningKeyFile.Create(Path.Combine(_folder, "witness.key"), "witness.example/w1", NoteSignatureType.CosignatureV1);
        _transparency = new TransparencyOptions(Path.Combine(_folder, "log.key"), TimeSpan.FromHours(1), [_witnessKey.Verifier.Encoded]);
        _ledger = new LedgerFixture { Transparency = _transparency };
        await _ledger.InitializeAsync();
        await _ledger.RecordTradeClaimAsync("trade-claim");
        await _ledger.SendAsync(new DisputeClaim.Command("trade-claim", "figure looks high", [], null, MeiLin));
        await _ledger.RecordTradeClaimAsync("other-claim");
        _server = await StartServerAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await _ledger.DisposeAsync();
        _logKey.Dispose();
        _witnessKey.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A server over the ledger, as after a (re)start: it holds in memory no checkpoint it signed before.</summary>
    private async Task<WebApplication> StartServerAsync(TransparencyOptions? transparency = null)
    {
        var server = ApiHost.Build(_ledger.Options, new ApiOptions(), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Services.AddSingleton(transparency ?? _transparency);
        });
        await server.StartAsync();
        _servers.Add(server);
        return server;
    }

    private static async Task<SignedCheckpoint> PublishAsync(WebApplication server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new PublishCheckpoint.Command());
    }

    /// <summary>Signs the log as the server sees it now, without publishing.</summary>
    private static async Task<SignedCheckpoint> SignAsync(WebApplication server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SignCheckpoint.Command());
    }

    private static async Task<string> ServedAsync(WebApplication server) =>
        await server.GetTestClient().GetStringAsync(new Uri("/transparency/checkpoint", UriKind.Relative));

    /// <summary>What a forger with the key and full rights on the database does before signing a rewritten log: forgets every checkpoint signed so far.</summary>
    private async Task ForgetPublishedCheckpointsAsync()
    {
        File.Delete(_transparency.LastCheckpointPath);
        await Forger.SqlAsync(_ledger, "delete from {s}.cl_cosignatures; delete from {s}.cl_checkpoints", bypassLedgerGuard: true);
    }

    private Task<Witness.Outcome> WitnessAsync(WebApplication server, NoteVerifierKey? logKey = null) =>
        new Witness(server.GetTestClient(), logKey ?? _logKey.Verifier, _witnessKey, StatePath, TimeProvider.System).RunAsync(default);

    [Fact]
    public async Task an_honest_append_is_cosigned_and_the_log_serves_the_cosignature()
    {
        await PublishAsync(_server);
        var first = await WitnessAsync(_server);
        await _ledger.SendAsync(new DisputeClaim.Command("other-claim", "second look", [], null, MeiLin));
        var grown = await PublishAsync(_server);
        var second = await WitnessAsync(_server);
        var served = SignedNote.Parse(await _server.GetTestClient().GetStringAsync(new Uri("/transparency/checkpoint", UriKind.Relative)));

        Assert.True(first.Cosigned, first.Message);
        Assert.True(second.Cosigned, second.Message);
        Assert.True(second.HandedIn);
        Assert.Contains($"grew from {Registrations + 3} to {Registrations + 4}", second.Message);
        Assert.Equal(Registrations + 4, grown.Checkpoint.Size);
        Assert.Equal(grown.Note.Text, served.Text);
        Assert.True(served.IsSignedBy(_logKey.Verifier));
        Assert.NotNull(Cosignature.VerifiedTime(served, _witnessKey.Verifier));
        Assert.Equal(grown.Note.Text, SignedNote.Parse(await File.ReadAllTextAsync(StatePath)).Text);
    }

    [Fact]
    public async Task a_history_rewritten_by_sql_with_the_chain_recomputed_is_refused_by_the_log_and_by_the_witness()
    {
        await PublishAsync(_server);
        Assert.True((await WitnessAsync(_server)).Cosigned);
        var accepted = await File.ReadAllTextAsync(StatePath);

        await Forger.SqlAsync(_ledger, "update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'trade-claim' and version = 2");
        await Forger.RehashChainAsync(_ledger, "trade-claim");

        // Every chain is consistent again; only the checkpoint published before the rewrite, kept as a digest, catches it.
        var verified = await _ledger.SendAsync(new VerifyLedger.Query());
        var rewritten = Assert.Single(verified.Breaks);
        Assert.Equal(BreakKinds.HistoryRewritten, rewritten.Kind);
        Assert.Contains($"checkpoint of size {Registrations + 3}", rewritten.Detail);
        Assert.False((await _ledger.SendAsync(new AuditReport.Query("trade-claim"))).LedgerIntact);
        Assert.Equal("log-inconsistent", (await Assert.ThrowsAsync<ClaimRuleException>(() => PublishAsync(_server))).Rule);

        // Restarted, the server still refuses: the checkpoints published are in the database, the last signed is beside the key.
        Assert.Equal("log-inconsistent", (await Assert.ThrowsAsync<ClaimRuleException>(async () => await PublishAsync(await StartServerAsync()))).Rule);

        // A forger who holds the key and the database forgets both and signs the rewritten tree; the witness has not forgotten.
        await ForgetPublishedCheckpointsAsync();
        var forged = await PublishAsync(await StartServerAsync());
        var sameSize = await WitnessAsync(_servers[^1]);
        await _ledger.SendAsync(new DisputeClaim.Command("other-claim", "later write", [], null, MeiLin));
        await PublishAsync(await StartServerAsync());
        var grown = await WitnessAsync(_servers[^1]);

        Assert.Equal(Registrations + 3, forged.Checkpoint.Size);
        Assert.Equal(("fork", false), (sameSize.Refusal, sameSize.Cosigned));
        Assert.Equal(("inconsistent-proof", false), (grown.Refusal, grown.Cosigned));
        Assert.Equal(accepted, await File.ReadAllTextAsync(StatePath));
    }

    [Fact]
    public async Task a_truncated_log_is_refused_as_a_rollback()
    {
        await PublishAsync(_server);
        Assert.True((await WitnessAsync(_server)).Cosigned);

        await Forger.SqlAsync(_ledger, "delete from {s}.cl_ledger_entries where position = (select max(position) from {s}.cl_ledger_entries)", bypassLedgerGuard: true);
        Assert.Equal("log-inconsistent", (await Assert.ThrowsAsync<ClaimRuleException>(async () => await PublishAsync(await StartServerAsync()))).Rule);
        await ForgetPublishedCheckpointsAsync();
        await PublishAsync(await StartServerAsync());
        var outcome = await WitnessAsync(_servers[^1]);

        Assert.Equal("rollback", outcome.Refusal);
        Assert.Contains($"size {Registrations + 2} after {Registrations + 3}", outcome.Message);
    }

    [Fact]
    public async Task a_checkpoint_that_does_not_verify_under_the_log_key_the_witness_trusts_is_refused()
    {
        await PublishAsync(_server);
        using var impostor = NoteSignerKey.Generate("test.claimledger.example/log", NoteSignatureType.Ed25519);

        var outcome = await WitnessAsync(_server, impostor.Verifier);

        Assert.Equal("bad-signature", outcome.Refusal);
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public async Task the_log_serves_its_key_and_proofs_that_hold_against_its_checkpoint_with_only_the_public_key()
    {
        var client = _server.GetTestClient();
        client.DefaultRequestHeaders.Add(Api.Security.ApiKeyAuthentication.Header,
            (await _ledger.SendAsync(new Access.CreateApiKey.Command("Ada Auditor", Access.Role.Auditor, "tests"))).Key);
        var first = await PublishAsync(_server);
        await _ledger.SendAsync(new DisputeClaim.Command("other-claim", "second look", [], null, MeiLin));
        var second = await PublishAsync(_server);

        var key = NoteVerifierKey.Parse(await client.GetStringAsync(new Uri("/transparency/key", UriKind.Relative)));
        var consistency = await client.GetFromJsonAsync<ConsistencyProof>(new Uri($"/transparency/consistency?old={first.Checkpoint.Size}", UriKind.Relative));
        var inclusion = await client.GetFromJsonAsync<InclusionProof>(new Uri("/transparency/inclusion?claim=trade-claim&version=1", UriKind.Relative));
        var backwards = await client.GetAsync(new Uri("/transparency/consistency?old=4&new=3", UriKind.Relative));
        var anonymous = await _server.GetTestClient().GetAsync(new Uri("/transparency/inclusion?claim=trade-claim", UriKind.Relative));

        Assert.Equal(_logKey.Verifier.Encoded, key.Encoded);
        // The key issued above is an entry too: three registrations, three claim events and the issue, then the dispute.
        Assert.Equal((Registrations + 4, Registrations + 5), (consistency!.OldSize, consistency.NewSize));
        Assert.Null(ProofCheck.Between(first.Checkpoint, second.Checkpoint, consistency.Proof));
        Assert.Equal(ProofCheck.ProofStatus.Proven, ProofCheck.Inclusion(inclusion!, key, null, null).Status);
        Assert.Equal((Registrations + 5L, (long)Registrations), (inclusion!.TreeSize, inclusion.LeafIndex));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task a_cosignature_from_a_witness_the_log_does_not_know_is_not_kept()
    {
        var published = await PublishAsync(_server);
        using var stranger = NoteSignerKey.Generate("stranger.example/w9", NoteSignatureType.CosignatureV1);
        var cosigned = new SignedNote(published.Note.Text, [Cosignature.Sign(published.Checkpoint, stranger, DateTimeOffset.UtcNow)]);

        var response = await _server.GetTestClient().PostAsync(new Uri("/transparency/cosignatures", UriKind.Relative), new StringContent(cosigned.Encoded));
        var served = SignedNote.Parse(await _server.GetTestClient().GetStringAsync(new Uri("/transparency/checkpoint", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain(served.Signatures, s => s.KeyName == stranger.Name);
    }

    [Fact]
    public async Task two_servers_over_one_ledger_serve_the_same_latest_checkpoint()
    {
        await PublishAsync(_server);
        var other = await StartServerAsync();
        await _ledger.SendAsync(new DisputeClaim.Command("other-claim", "second look", [], null, MeiLin));
        var grown = await PublishAsync(other);

        var fromFirst = SignedNote.Parse(await ServedAsync(_server));
        var fromOther = SignedNote.Parse(await ServedAsync(other));

        Assert.Equal(Registrations + 4, grown.Checkpoint.Size);
        Assert.Equal(grown.Note.Text, fromFirst.Text);
        Assert.Equal(fromOther.Encoded, fromFirst.Encoded);
    }

    [Fact]
    public async Task a_cosignature_handed_to_one_server_is_served_by_the_other()
    {
        var published = await PublishAsync(_server);
        var other = await StartServerAsync();

        var witnessed = await WitnessAsync(_server);
        var served = SignedNote.Parse(await ServedAsync(other));

        Assert.True(witnessed.Cosigned && witnessed.HandedIn, witnessed.Message);
        Assert.Equal(published.Note.Text, served.Text);
        Assert.NotNull(Cosignature.VerifiedTime(served, _witnessKey.Verifier));
    }

    [Fact]
    public async Task a_restarted_server_serves_the_checkpoint_published_before_with_its_cosignatures_even_without_its_key()
    {
        var published = await PublishAsync(_server);
        Assert.True((await WitnessAsync(_server)).HandedIn);
        var before = await ServedAsync(_server);
        await _server.StopAsync();

        var restarted = await StartServerAsync(_transparency with { SigningKeyPath = Path.Combine(_folder, "elsewhere.key") });
        var after = SignedNote.Parse(await ServedAsync(restarted));

        Assert.Equal(before, after.Encoded);
        Assert.Equal(published.Note.Text, after.Text);
        Assert.True(after.IsSignedBy(_logKey.Verifier));
        Assert.NotNull(Cosignature.VerifiedTime(after, _witnessKey.Verifier));
    }

    [Fact]
    public async Task a_publish_from_a_server_whose_view_is_behind_never_replaces_a_newer_checkpoint()
    {
        var behind = await SignAsync(_server);
        var other = await StartServerAsync();
        await _ledger.SendAsync(new DisputeClaim.Command("other-claim", "second look", [], null, MeiLin));
        var newer = await PublishAsync(other);

        var answer = await _server.Services.GetRequiredService<PublishedCheckpoints>().PublishAsync(behind, default);
        var served = SignedNote.Parse(await ServedAsync(_server));

        Assert.Equal((Registrations + 3L, Registrations + 4L), (behind.Checkpoint.Size, newer.Checkpoint.Size));
        Assert.Equal(newer.Note.Text, answer.Note.Text);
        Assert.Equal(newer.Note.Text, served.Text);
        var history = await PublishedSizesAsync();
        Assert.Equal(Registrations + 4, history[^1]);
        Assert.Equal(history.Order(), history);
        Assert.Equal(history.Distinct(), history);
    }

    [Fact]
    public async Task a_published_checkpoint_and_its_cosignatures_cannot_be_updated_or_deleted_even_by_the_owner()
    {
        await PublishAsync(_server);
        Assert.True((await WitnessAsync(_server)).HandedIn);
        var served = await ServedAsync(_server);

        foreach (var attack in new[]
                 {
                     "update {s}.cl_checkpoints set tree_size = tree_size + 1", "delete from {s}.cl_checkpoints", "truncate {s}.cl_checkpoints cascade",
                     "update {s}.cl_cosignatures set line = ''", "delete from {s}.cl_cosignatures", "truncate {s}.cl_cosignatures",
                 })
        {
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Forger.SqlAsync(_ledger, attack));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(served, await ServedAsync(_server));
    }

    [Fact]
    public async Task a_publisher_that_loses_the_race_to_a_smaller_tree_publishes_its_larger_one_after_it()
    {
        // The server publishes its first checkpoint as it starts, and no other before the next interval (an hour here).
        Assert.Equal(Registrations + 3, (await UntilServedAsync(_server)).Size);
        List<SignedCheckpoint> signed = [await SignAsync(_server)];
        for (var i = 1; i <= 2; i++)
        {
            await _ledger.SendAsync(new DisputeClaim.Command("other-claim", $"look number {i}", [], null, MeiLin));
            signed.Add(await SignAsync(_server));
        }

        var published = new PublishedCheckpoints(_ledger.Options);
        await published.PublishAsync(signed[0], default);

        // Another server's publish of the next size, caught between its insert and its commit.
        await using var other = new Npgsql.NpgsqlConnection(_ledger.Options.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            $"insert into {_ledger.Schema}.cl_checkpoints (origin, tree_size, root_hash, extends_size, note) values (@origin, {Registrations + 4}, @root, {Registrations + 3}, @note)", other, transaction))
        {
            insert.Parameters.AddWithValue("origin", signed[1].Checkpoint.Origin);
            insert.Parameters.AddWithValue("root", signed[1].Checkpoint.RootHash);
            insert.Parameters.AddWithValue("note", signed[1].Note.Encoded);
            await insert.ExecuteNonQueryAsync();
        }

        // This one read the first as the latest too, so it waits on the other's row to append after it; it then finds it taken.
        var racing = Task.Run(() => published.PublishAsync(signed[2], default));
        await UntilWaitingOnALockAsync();
        await transaction.CommitAsync();
        var answer = await racing;

        long[] sizes = [Registrations + 3, Registrations + 4, Registrations + 5];
        Assert.Equal(sizes, signed.Select(c => c.Checkpoint.Size));
        Assert.Equal(Registrations + 5, answer.Checkpoint.Size);
        Assert.Equal(sizes, await PublishedSizesAsync());
    }

    private static async Task<Checkpoint> UntilServedAsync(WebApplication server)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await server.GetTestClient().GetAsync(new Uri("/transparency/checkpoint", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return Checkpoint.Parse(SignedNote.Parse(await response.Content.ReadAsStringAsync()).Text);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the server published no checkpoint as it started");
            await Task.Delay(20);
        }
    }

    private async Task UntilWaitingOnALockAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new Npgsql.NpgsqlCommand(
            $"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%{_ledger.Schema}.cl_checkpoints%'", connection);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the second publisher never waited on the first one's insert");
            await Task.Delay(10);
        }
    }

    /// <summary>The tree sizes of the checkpoints published, in the order they were published.</summary>
    private async Task<List<long>> PublishedSizesAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_ledger.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select tree_size from {_ledger.Schema}.cl_checkpoints order by published_at, tree_size", connection);
        var sizes = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sizes.Add(reader.GetInt64(0));
        }

        return sizes;
    }
}
