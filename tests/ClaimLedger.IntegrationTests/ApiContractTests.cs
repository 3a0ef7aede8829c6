using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ClaimLedger.IntegrationTests.ApiFixture;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The API as an integrator meets it: the served OpenAPI document passes a third-party linter, and the server does
/// what the document says (unknown parameters refused, errors in the API's own words, every invalid field at once).
/// </summary>
public class ApiContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task the_served_openapi_document_passes_redocly_lint_with_no_errors_and_no_warnings()
    {
        var linter = Repository.Path("eng", "openapi", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(linter), $"{linter} is missing: ./test installs it (npm ci in eng/openapi).");
        var document = Path.Combine(Path.GetTempPath(), $"claimledger-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await api.Client().GetStringAsync("/openapi/v1.json"));

        var start = new ProcessStartInfo(linter, ["lint", document, "--config", Repository.Path("eng", "openapi", "redocly.yaml"), "--format", "summary"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var lint = Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();
        File.Delete(document);

        var report = await output + await errors;
        Assert.True(lint.ExitCode == 0, report);
        Assert.DoesNotContain("warning", report.Replace("Deprecation warning", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task the_document_declares_the_key_scheme_and_the_concurrency_headers_the_server_enforces()
    {
        var document = await api.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var verdict = document.GetProperty("paths").GetProperty("/claims/{id}/verdicts").GetProperty("post");
        var parameters = verdict.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);

        Assert.Equal("X-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("ClaimLedger API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(parameters["If-Match"].GetProperty("required").GetBoolean());
        Assert.True(parameters.ContainsKey("Idempotency-Key"));
        Assert.True(verdict.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        Assert.Contains("MostlyFalse", document.GetProperty("components").GetProperty("schemas").GetProperty("Rating").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(document.GetProperty("components").GetProperty("schemas").EnumerateObject(), s => s.Name.StartsWith("AnonymousType", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_unknown_query_parameter_is_refused_instead_of_ignored()
    {
        var response = await api.Client(api.CheckerKey).GetAsync("/claims?search=Patrushev");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Contains("q", problem.GetProperty("errors").GetProperty("search")[0].GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_value_the_server_cannot_bind_is_named_with_its_expected_form_and_no_csharp_type_and_a_read_does_not_say_nothing_was_written()
    {
        var response = await api.Client(api.CheckerKey).GetAsync("/claims?kind=Rumor");

        var problem = await Problem(response);
        var text = problem.ToString();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Quantity", problem.GetProperty("errors").GetProperty("kind")[0].GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ClaimKind", text, StringComparison.Ordinal);
        Assert.DoesNotContain("written", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_invalid_write_names_every_invalid_field_at_once_and_says_nothing_was_written()
    {
        var client = api.Client(api.CheckerKey);
        var id = await api.Ledger.RecordTradeClaimAsync();

        var response = await client.SendAsync(Post($"/claims/{id}/verdicts", new { rating = "Probably", rationale = "", evidence = new[] { new { documentId = "cnn-2023", start = -1, end = 0, excerpt = "" } } }, ifMatch: 1));

        var problem = await Problem(response);
        var errors = problem.GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("rating", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("rationale", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("evidence[0].start", out _), problem.ToString());
        Assert.Contains("Nothing was written", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_server_takes_rating_labels_and_names_alike()
    {
        var client = api.Client(api.CheckerKey);
        var id = await api.Ledger.RecordTradeClaimAsync();

        var label = await client.SendAsync(Post($"/claims/{id}/verdicts", new { rating = "Mostly false", rationale = "yuan, not dollars", evidence = new[] { DeskNote() } }, ifMatch: 1));
        var name = await client.SendAsync(Post($"/claims/{id}/verdicts", new { rating = "MostlyTrue", rationale = "on reflection", evidence = new[] { DeskNote() } }, ifMatch: 2));

        Assert.Equal(HttpStatusCode.OK, label.StatusCode);
        Assert.Equal(HttpStatusCode.OK, name.StatusCode);
        var claim = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}");
        Assert.Equal("MostlyTrue", claim.GetProperty("verdict").GetProperty("rating").GetString());
    }

    [Fact]
    public async Task a_stale_version_is_explained_without_cli_flags_and_a_wrong_role_with_the_right_article()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        await api.Client(api.CheckerKey).SendAsync(Post($"/claims/{id}/disputes", new { reason = "first" }, ifMatch: 1));

        var stale = await Problem(await api.Client(api.CheckerKey).SendAsync(Post($"/claims/{id}/disputes", new { reason = "second" }, ifMatch: 1)));
        var forbidden = await Problem(await api.Client(api.AuditorKey).SendAsync(Post($"/claims/{id}/disputes", new { reason = "x" }, ifMatch: 2)));

        Assert.DoesNotContain("--", stale.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("This is an auditor key", forbidden.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task every_problem_carries_the_requests_correlation_id()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/claims/no-such-claim");
        request.Headers.Add("X-Correlation-Id", "desk-task-42");

        var problem = await Problem(await api.Client(api.CheckerKey).SendAsync(request));

        Assert.Equal("desk-task-42", problem.GetProperty("correlationId").GetString());
    }

    [Theory]
    [InlineData("/claims?page=2147483647", "page")]
    [InlineData("/claims/x/diff?from=1", "to")]
    public async Task a_read_with_an_out_of_range_or_missing_parameter_is_a_400_naming_it(string path, string field)
    {
        var response = await api.Client(api.CheckerKey).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("""{"treeSize":1,"rootHash":"ab"}""", "rootHash")]
    [InlineData("""{"treeSize":1}""", "rootHash")]
    [InlineData("""{"treeSize":-1,"rootHash":"0000000000000000000000000000000000000000000000000000000000000000"}""", "treeSize")]
    public async Task verify_with_a_malformed_kept_digest_is_a_400_not_a_500(string body, string field)
    {
        var response = await api.Client(api.AuditorKey).PostAsync("/audit/verify", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task a_markdown_report_carries_no_raw_html_or_links_from_a_reason()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        var attack = "<script>alert(1)</script> [click](javascript:alert(2))";
        await api.Client(api.CheckerKey).SendAsync(Post($"/claims/{id}/disputes", new { reason = attack }, ifMatch: 1));

        var markdown = await api.Client(api.AuditorKey).GetStringAsync($"/audit/claims/{id}/report?format=md");

        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("](javascript:", markdown, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task wrong_keys_are_limited_per_address_and_key_prefix_and_never_lock_out_a_valid_key()
    {
        var client = api.Client();
        var guess = "clk_0123456789ab_" + new string('x', 43);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < ClaimLedger.Api.Security.FailedKeyAttempts.PerPrefix + 1; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/claims");
            request.Headers.Add("X-Api-Key", guess);
            answers.Add((await client.SendAsync(request)).StatusCode);
        }

        var valid = await api.Client(api.CheckerKey).GetAsync("/claims");
        var otherPrefix = new HttpRequestMessage(HttpMethod.Get, "/claims");
        otherPrefix.Headers.Add("X-Api-Key", "clk_ba9876543210_" + new string('y', 43));
        var other = await client.SendAsync(otherPrefix);

        Assert.All(answers.Take(ClaimLedger.Api.Security.FailedKeyAttempts.PerPrefix), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }
}
