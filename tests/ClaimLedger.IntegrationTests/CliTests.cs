using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace ClaimLedger.IntegrationTests;

/// <summary>The claimledger command as a user runs it: its exit codes, its errors on stderr, its JSON on stdout.</summary>
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CliTests : IAsyncLifetime
{
    private string _connection = "";

    public async Task InitializeAsync()
    {
        var cluster = await TestCluster.GetAsync();
        var database = $"cli_{Guid.NewGuid():N}"[..16];
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _connection = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database }.ConnectionString;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Exit, string Out, string Error)> Run(params string[] arguments) => RunWith(_connection, arguments);

    /// <summary>Runs with standard output a pipe and no COLUMNS, as a script or CI does.</summary>
    private const string NoColumns = "\0no-columns";

    [Theory]
    [InlineData("claims", "list", "--kind", "Rumor")]
    [InlineData("claims", "record", "--statement", "x", "--start", "99999999999")]
    public async Task an_option_value_of_the_wrong_form_is_bad_input_said_without_dotnet_type_names(params string[] arguments)
    {
        var (exit, _, error) = await Run(arguments);

        Assert.Equal(2, exit);
        Assert.Contains("is not a value this option takes", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve", "--public-url", "factcheck.example.org")]
    [InlineData("export", "claimreview", "--publisher-url", "javascript:alert(1)")]
    public async Task a_publishing_url_that_is_not_a_web_address_is_a_usage_error_naming_the_setting(params string[] arguments)
    {
        var (exit, _, error) = await Run(arguments);

        Assert.Equal(2, exit);
        Assert.Contains(arguments[^2], error, StringComparison.Ordinal);
        Assert.Contains("must be an absolute http or https URL", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unexpected error", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("record")]
    [InlineData("source")]
    [InlineData("corroborate")]
    public async Task help_of_every_write_verb_prints_its_options(string verb)
    {
        var (exit, output, error) = await Run("claims", verb, "--help");

        Assert.True(exit == 0, error);
        Assert.Contains("[start, end)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_endless_document_file_is_refused_as_too_long_without_reading_it_all()
    {
        var (exit, _, error) = await Run("documents", "add", "/dev/zero", "--publisher", "P", "--title", "T");

        Assert.Equal(2, exit);
        Assert.Contains("at most 5,000,000 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task in_a_pipe_without_columns_no_claim_id_is_split_over_lines()
    {
        await Run("db", "migrate");
        var import = await RunWithHome(_connection, NoColumns, "import", Repository.Path("seeds"));

        var (exit, output, error) = await RunWithHome(_connection, NoColumns, "claims", "list", "--page-size", "200");

        Assert.True(import.Exit == 0, import.Error);
        Assert.DoesNotContain("Importing", import.Out, StringComparison.Ordinal);
        Assert.Contains("Importing seeds: 100%", import.Error, StringComparison.Ordinal);

        Assert.True(exit == 0, error);
        Assert.Contains("china-says-relations-best-level-in-history", output, StringComparison.Ordinal);
        Assert.Contains("us-possible-tariffs-100-billion-april-2018", output, StringComparison.Ordinal);
        Assert.DoesNotContain("verdict no verdict", output, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Out, string Error)> RunWith(string connection, params string[] arguments) =>
        RunWithHome(connection, null, arguments);

    internal static async Task<(int Exit, string Out, string Error)> RunWithHome(string connection, string? home, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (home is not null)
        {
            start.Environment["CLAIMLEDGER_HOME"] = home;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClaimLedger.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLAIMLEDGER_CONNECTION"] = connection;
        start.Environment["COLUMNS"] = "200";
        if (home == NoColumns)
        {
            start.Environment.Remove("COLUMNS");
            start.Environment.Remove("CLAIMLEDGER_HOME");
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task against_a_configured_server_the_cli_asks_for_db_migrate_then_works_after_it()
    {
        var before = await Run("claims", "list");
        var migrate = await Run("db", "migrate");
        var after = await Run("claims", "list", "--json");

        Assert.Equal(3, before.Exit);
        Assert.Contains("db migrate", before.Error);
        Assert.Equal(0, migrate.Exit);
        Assert.Equal(0, after.Exit);
        Assert.Equal(0, JsonDocument.Parse(after.Out).RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task exit_codes_tell_bad_input_from_a_refusal_and_from_success()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        var text = Path.Combine(Path.GetTempPath(), $"doc-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(text, "The US expelled 60 Russian diplomats in March 2018.");

        var added = await Run("documents", "add", text, "--id", "wire-1", "--publisher", "Wire", "--title", "Expulsions");
        var recorded = await Run("claims", "record", "--id", "us-expels-60", "--kind", "Expulsion", "--statement", "The US expelled 60 Russian diplomats",
            "--expelling", "United States", "--expelled", "Russian diplomats", "--count", "60", "--date", "2018-03",
            "--document", "wire-1", "--start", "0", "--end", "35", "--excerpt", "The US expelled 60 Russian diplomat", "--actor", "Mei Lin", "--json");
        var badInput = await Run("claims", "record", "--kind", "Expulsion", "--statement", "x", "--count", "-5",
            "--document", "wire-1", "--start", "0", "--end", "3", "--excerpt", "The");
        var refused = await Run("claims", "verdict", "us-expels-60", "--rating", "True", "--rationale", "no evidence yet");
        var shown = await Run("claims", "show", "us-expels-60", "--json");

        Assert.Equal(0, added.Exit);
        Assert.Equal(0, recorded.Exit);
        Assert.Equal(1, JsonDocument.Parse(recorded.Out).RootElement.GetProperty("version").GetInt64());
        Assert.Equal(2, badInput.Exit);
        Assert.Contains("value.count", badInput.Error);
        Assert.Contains("value.expellingParty", badInput.Error);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("verdict-needs-independent-evidence", refused.Error);
        Assert.Equal(60, JsonDocument.Parse(shown.Out).RootElement.GetProperty("value").GetProperty("count").GetInt32());

        var dispute = new[] { "claims", "dispute", "us-expels-60", "--reason", "count unconfirmed", "--idempotency-key", "cli-retry-1" };
        Assert.Equal(0, (await Run(dispute)).Exit);
        Assert.Equal(0, (await Run(dispute)).Exit);
        Assert.Equal(1, (await Run([.. dispute[..4], "a different reason", .. dispute[5..]])).Exit);
        Assert.Equal(2, JsonDocument.Parse((await Run("claims", "history", "us-expels-60", "--json")).Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task an_html_page_is_registered_as_its_visible_text_as_the_web_app_registers_it()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        var page = Path.Combine(Path.GetTempPath(), $"page-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(page, "<html><head><style>p{}</style></head><body><h1>Trade</h1><p>Trade hit <b>1.28 trillion</b> yuan.</p></body></html>");

        var added = await Run("documents", "add", page, "--id", "wire-html", "--publisher", "Wire", "--title", "Trade", "--json");
        var shown = await Run("documents", "show", "wire-html", "--text", "--json");

        Assert.Equal(0, added.Exit);
        Assert.Equal("Trade\n\nTrade hit 1.28 trillion yuan.".Length, JsonDocument.Parse(added.Out).RootElement.GetProperty("length").GetInt32());
        Assert.Equal("Trade\n\nTrade hit 1.28 trillion yuan.", JsonDocument.Parse(shown.Out).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task an_auditor_verifies_keeps_a_digest_checks_a_proof_offline_and_sees_tampering()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        var text = Path.Combine(Path.GetTempPath(), $"doc-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(text, "Trade hit 1.28 trillion yuan in 2022.");
        Assert.Equal(0, (await Run("documents", "add", text, "--id", "wire-2", "--publisher", "Wire", "--title", "Trade")).Exit);
        Assert.Equal(0, (await Run("claims", "record", "--id", "trade-2022", "--kind", "Quantity", "--statement", "Trade hit 1.28 trillion yuan",
            "--amount", "1.28 trillion", "--unit", "yuan", "--document", "wire-2", "--start", "0", "--end", "28", "--excerpt", "Trade hit 1.28 trillion yuan")).Exit);
        var (digest, proof) = (Path.GetTempFileName(), Path.GetTempFileName());

        Assert.Equal(0, (await Run("audit", "digest", "--out", digest)).Exit);
        Assert.Equal(0, (await Run("audit", "verify", "--digest", digest)).Exit);
        Assert.Equal(0, (await Run("audit", "proof", "trade-2022", "--out", proof)).Exit);
        Assert.Equal(0, (await RunWith("Host=127.0.0.1;Port=1;Database=none", "audit", "check-proof", proof, "--digest", digest)).Exit);

        await File.WriteAllTextAsync(proof, (await File.ReadAllTextAsync(proof)).Replace("\"treeSize\": 1", "\"treeSize\": 2", StringComparison.Ordinal));
        Assert.Equal(1, (await RunWith("Host=127.0.0.1;Port=1;Database=none", "audit", "check-proof", proof)).Exit);

        await using (var connection = new NpgsqlConnection(_connection))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand("update claimledger.mt_events set data = jsonb_set(data, '{statement}', '\"Trade hit 2 trillion yuan\"') where stream_id = 'trade-2022'", connection);
            await tamper.ExecuteNonQueryAsync();
        }

        var verify = await Run("audit", "verify", "--json");
        Assert.Equal(1, verify.Exit);
        var broken = JsonDocument.Parse(verify.Out).RootElement.GetProperty("breaks")[0];
        Assert.Equal(("trade-2022", 1, "payload-edited"), (broken.GetProperty("claimId").GetString(), broken.GetProperty("version").GetInt32(), broken.GetProperty("kind").GetString()));
    }

    private async Task RecordTradeClaimAsync(string id = "trade-2022")
    {
        var text = Path.Combine(Path.GetTempPath(), $"doc-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(text, "Trade hit 1.28 trillion yuan in 2022.");
        Assert.Equal(0, (await Run("documents", "add", text, "--id", $"wire-{id}", "--publisher", "Wire", "--title", "Trade")).Exit);
        Assert.Equal(0, (await Run("claims", "record", "--id", id, "--kind", "Quantity", "--statement", "Trade hit 1.28 trillion yuan",
            "--amount", "1.28 trillion", "--unit", "yuan", "--document", $"wire-{id}", "--start", "0", "--end", "28", "--excerpt", "Trade hit 1.28 trillion yuan")).Exit);
    }

    private const string Offline = "Host=127.0.0.1;Port=1;Database=none";

    [Fact]
    public async Task a_proof_whose_claim_or_version_was_edited_is_invalid_and_one_without_a_trusted_root_proves_nothing()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        await RecordTradeClaimAsync();
        await RecordTradeClaimAsync("other-2022");
        var (digest, proof, edited, handMade) = (Path.GetTempFileName(), Path.GetTempFileName(), Path.GetTempFileName(), Path.GetTempFileName());
        Assert.Equal(0, (await Run("audit", "digest", "--out", digest)).Exit);
        Assert.Equal(0, (await Run("audit", "proof", "trade-2022", "--out", proof)).Exit);
        var original = await File.ReadAllTextAsync(proof);
        var forged = original.Replace("\"claimId\": \"trade-2022\"", "\"claimId\": \"other-2022\"", StringComparison.Ordinal)
            .Replace("\"version\": 1,", "\"version\": 99,", StringComparison.Ordinal);
        await File.WriteAllTextAsync(edited, forged);
        await File.WriteAllTextAsync(handMade, OneLeafProof());

        var editedAgainstDigest = await RunWith(Offline, "audit", "check-proof", edited, "--digest", digest);
        var withoutRoot = await RunWith(Offline, "audit", "check-proof", proof);
        var handMadeWithoutRoot = await RunWith(Offline, "audit", "check-proof", handMade);
        var withDigest = await RunWith(Offline, "audit", "check-proof", proof, "--digest", digest);

        Assert.NotEqual(original, forged);
        Assert.Contains("\"version\": 99,", forged);
        Assert.Equal(1, editedAgainstDigest.Exit);
        Assert.Contains("Invalid", editedAgainstDigest.Error);
        Assert.DoesNotContain("Valid:", editedAgainstDigest.Out);
        Assert.Equal(1, withoutRoot.Exit);
        Assert.Contains("proves nothing about the log", withoutRoot.Error);
        Assert.Equal(1, handMadeWithoutRoot.Exit);
        Assert.Contains("proves nothing about the log", handMadeWithoutRoot.Error);
        Assert.Equal(0, withDigest.Exit);
        Assert.Contains("claim trade-2022 version 1", withDigest.Out);
    }

    /// <summary>A proof anyone can make: one invented entry, its own hash as the root of a one-leaf tree.</summary>
    private static string OneLeafProof()
    {
        var entry = new ClaimLedger.Ledger.ProvenEntry("invented-claim", 99, Guid.NewGuid(), "verdict_issued", "2026-01-01T00:00:00.000000Z",
            "{\"rating\":\"True\"}", "Nobody", new string('0', 64));
        var hash = entry.Hash(out _)!;
        var root = ClaimLedger.Ledger.MerkleTree.LeafHash(hash);
        return JsonSerializer.Serialize(new ClaimLedger.Ledger.InclusionProof(ClaimLedger.Ledger.InclusionProof.CurrentFormat, entry,
            Convert.ToHexStringLower(hash), 0, 1, Convert.ToHexStringLower(root), [], null, DateTimeOffset.UtcNow), JsonSerializerOptions.Web);
    }

    [Fact]
    public async Task a_log_key_signs_checkpoints_and_proofs_against_them_check_offline_with_only_the_public_key()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        var folder = Directory.CreateTempSubdirectory("claimledger-cli-keys-").FullName;
        var (key, otherKey) = (Path.Combine(folder, "log.key"), Path.Combine(folder, "other.key"));
        var (first, second, proof, consistency) = (Path.Combine(folder, "cp1.txt"), Path.Combine(folder, "cp2.txt"), Path.Combine(folder, "proof.json"), Path.Combine(folder, "consistency.json"));

        var keygen = await Run("audit", "keygen", "--key-file", key, "--origin", "cli.claimledger.example/log");
        var again = await Run("audit", "keygen", "--key-file", key, "--origin", "cli.claimledger.example/log");
        var other = await Run("audit", "keygen", "--key-file", otherKey, "--origin", "cli.claimledger.example/log");
        var vkey = keygen.Out.Trim();
        await RecordTradeClaimAsync();
        var signedFirst = await Run("audit", "checkpoint", "--key-file", key, "--out", first);
        await RecordTradeClaimAsync("other-2022");
        var signedSecond = await Run("audit", "checkpoint", "--key-file", key, "--out", second, "--extends", first);
        var proved = await Run("audit", "proof", "trade-2022", "--checkpoint", second, "--key-file", key, "--out", proof);
        var provedConsistency = await Run("audit", "consistency", "--old", first, "--new", second, "--key-file", key, "--out", consistency);

        Assert.Equal(0, keygen.Exit);
        Assert.StartsWith("cli.claimledger.example/log+", vkey);
        Assert.DoesNotContain("PRIVATE", keygen.Out + keygen.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(1, again.Exit);
        Assert.Contains("never overwritten", again.Error);
        Assert.Equal((0, 0, 0, 0), (signedFirst.Exit, signedSecond.Exit, proved.Exit, provedConsistency.Exit));
        // Each claim recorded brings two entries: its document's registration and its recording.
        Assert.StartsWith("cli.claimledger.example/log\n2\n", await File.ReadAllTextAsync(first));
        Assert.StartsWith("cli.claimledger.example/log\n4\n", await File.ReadAllTextAsync(second));

        var inclusionChecked = await RunWith(Offline, "audit", "check-proof", proof, "--key", vkey);
        var consistencyChecked = await RunWith(Offline, "audit", "check-proof", consistency, "--key", vkey);
        var consistencyWithoutKey = await RunWith(Offline, "audit", "check-proof", consistency);
        var underAnotherKey = await RunWith(Offline, "audit", "check-proof", proof, "--key", other.Out.Trim());
        var olderCheckpoint = await RunWith(Offline, "audit", "check-proof", proof, "--key", vkey, "--checkpoint", first);

        Assert.Equal(0, inclusionChecked.Exit);
        Assert.Contains("claim trade-2022 version 1", inclusionChecked.Out);
        Assert.Equal(0, consistencyChecked.Exit);
        Assert.Equal(1, consistencyWithoutKey.Exit);
        Assert.Contains("proves nothing about the log", consistencyWithoutKey.Error);
        Assert.Equal(1, underAnotherKey.Exit);
        Assert.Equal(1, olderCheckpoint.Exit);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task a_witness_cosigns_what_serve_publishes_and_refuses_a_checkpoint_under_another_key()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        await RecordTradeClaimAsync();
        var folder = Directory.CreateTempSubdirectory("claimledger-cli-witness-").FullName;
        var (logKey, witnessKey, impostorKey, state) = (Path.Combine(folder, "log.key"), Path.Combine(folder, "w.key"), Path.Combine(folder, "i.key"), Path.Combine(folder, "state.txt"));
        var logVkey = (await Run("audit", "keygen", "--key-file", logKey, "--origin", "serve.claimledger.example/log")).Out.Trim();
        var witnessVkey = (await Run("audit", "keygen", "--cosigner", "--key-file", witnessKey, "--origin", "witness.example/w1")).Out.Trim();
        var impostorVkey = (await Run("audit", "keygen", "--key-file", impostorKey, "--origin", "serve.claimledger.example/log")).Out.Trim();
        var url = $"http://127.0.0.1:{FreePort()}";
        using var server = StartCli(_connection, "serve", "--urls", url, "--key-file", logKey, "--checkpoint-interval", "1", "--witness-key", witnessVkey);
        try
        {
            using var http = new HttpClient();
            await WaitForAsync(http, $"{url}/transparency/checkpoint");

            var cosigned = await Run("witness", "--log", url, "--state", state, "--log-key", logVkey, "--key-file", witnessKey);
            var impostor = await Run("witness", "--log", url, "--state", Path.Combine(folder, "other-state.txt"), "--log-key", impostorVkey, "--key-file", witnessKey);
            var unreachable = await Run("witness", "--log", "http://127.0.0.1:1", "--state", state, "--log-key", logVkey, "--key-file", witnessKey);
            var served = await http.GetStringAsync(new Uri($"{url}/transparency/checkpoint"));

            Assert.True(cosigned.Exit == 0, cosigned.Error);
            Assert.Contains("\u2014 witness.example/w1 ", cosigned.Out);
            Assert.Contains("\u2014 witness.example/w1 ", served);
            // Two entries: the document's registration and the claim's recording.
            Assert.StartsWith("serve.claimledger.example/log\n2\n", await File.ReadAllTextAsync(state));
            Assert.Equal(1, impostor.Exit);
            Assert.Contains("refused (bad-signature)", impostor.Error);
            Assert.Equal(3, unreachable.Exit);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int SeedClaimCount() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repository.Path("seeds", "claims.json")))!["claims"]!.AsArray().Count;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartCli(string connection, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClaimLedger.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLAIMLEDGER_CONNECTION"] = connection;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(HttpClient http, string url)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{url} did not answer within 30 s");
    }

    [Fact]
    public async Task on_a_fresh_embedded_database_import_verify_and_rebuild_work_without_a_migrate_step()
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-fresh-{Guid.NewGuid():N}"[..34]);
        var postgres = TestCluster.Create(home);
        try
        {
            await postgres.EnsureRunningAsync();

            var import = await RunWithHome("", home, "import", Repository.Path("seeds"));
            var verify = await RunWithHome("", home, "audit", "verify", "--json");
            var rebuild = await RunWithHome("", home, "db", "rebuild", "--json");

            Assert.True(import.Exit == 0, import.Error);
            Assert.True(verify.Exit == 0, verify.Error);
            Assert.True(JsonDocument.Parse(verify.Out).RootElement.GetProperty("entries").GetInt64() > 200);
            Assert.True(rebuild.Exit == 0, rebuild.Error);
            Assert.Equal(SeedClaimCount(), JsonDocument.Parse(rebuild.Out).RootElement.GetProperty("claims").GetInt64());
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task db_status_says_where_the_embedded_database_is_and_json_gives_a_working_connection_string()
    {
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-status-{Guid.NewGuid():N}"[..34]);
        var postgres = TestCluster.Create(home);
        try
        {
            var before = await RunWithHome("", home, "db", "status", "--json");
            await postgres.EnsureRunningAsync();
            var after = await RunWithHome("", home, "db", "status", "--json");
            var status = JsonDocument.Parse(after.Out).RootElement;

            Assert.False(JsonDocument.Parse(before.Out).RootElement.GetProperty("initialized").GetBoolean());
            Assert.True(status.GetProperty("running").GetBoolean());
            await using var connection = new NpgsqlConnection(status.GetProperty("connectionString").GetString());
            await connection.OpenAsync();
            Assert.Equal(0, (await RunWithHome("", home, "db", "stop")).Exit);
            Assert.False(JsonDocument.Parse((await RunWithHome("", home, "db", "status", "--json")).Out).RootElement.GetProperty("running").GetBoolean());
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }
}
