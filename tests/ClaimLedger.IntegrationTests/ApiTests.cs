using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClaimLedger.Claims;
using static ClaimLedger.IntegrationTests.ApiFixture;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

public class ApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object RecordBody(string id) => new
    {
        id, kind = "Quantity", statement = "China-Russia trade hit 1.28 trillion yuan in 2022",
        value = new Dictionary<string, string> { ["amount"] = "1.28 trillion", ["unit"] = "yuan", ["period"] = "2022" },
        appearance = Cnn("trade hit 1.28 trillion yuan in 2022"),
    };

    private static object Evidence => new[] { DeskNote() };

    private static async Task<string> RecordAsync(HttpClient client)
    {
        var id = $"api-{Guid.NewGuid():N}"[..16];
        var response = await client.SendAsync(Post("/claims", RecordBody(id)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.ToString().Contains("   at ", StringComparison.Ordinal), "a stack trace leaked");
        return body;
    }

    [Fact]
    public async Task a_checker_records_and_reads_a_claim_and_the_etag_is_its_version()
    {
        var client = api.Client(api.CheckerKey);
        var id = $"api-{Guid.NewGuid():N}"[..16];

        var created = await client.SendAsync(Post("/claims", RecordBody(id)));
        var read = await client.GetAsync($"/claims/{id}");
        var claim = await read.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/claims/{id}", created.Headers.Location?.ToString());
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("1280000000000", claim.GetProperty("value").GetProperty("amount").GetString());
        Assert.Equal("Mei Lin", claim.GetProperty("recordedBy").GetString());
    }

    [Fact]
    public async Task every_write_endpoint_appends_its_event_and_records_the_keys_person_as_actor()
    {
        var client = api.Client(api.CheckerKey);
        var id = await RecordAsync(client);
        var writes = new (string Path, object Body)[]
        {
            ($"/claims/{id}/sources", new { source = DeskNote(), stance = "Contradicts", reason = "customs data" }),
            ($"/claims/{id}/corroborations", new { source = GlobalTimes("Bilateral trade reached 1.28 trillion yuan"), reason = "same figure" }),
            ($"/claims/{id}/disputes", new { reason = "figure looks high", evidence = Evidence }),
            ($"/claims/{id}/findings", new { field = "amount", established = "1.3 trillion", note = "customs", evidence = Evidence, actor = "Body Impostor" }),
            ($"/claims/{id}/amendments", new { field = "statement", newValue = "China and Russia said trade hit 1.28 trillion yuan in 2022", reason = "the record dropped who said it", appearance = Cnn("trade hit 1.28 trillion yuan in 2022") }),
            ($"/claims/{id}/verdicts", new { rating = "Mostly true", rationale = "close", evidence = Evidence }),
            ($"/claims/{id}/retraction", new { reason = "recorded twice" }),
        };

        for (var i = 0; i < writes.Length; i++)
        {
            var response = await client.SendAsync(Post(writes[i].Path, writes[i].Body, ifMatch: i + 1));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{writes[i].Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal($"\"{i + 2}\"", response.Headers.ETag?.Tag);
        }

        var history = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}/history");
        Assert.Equal(
            [nameof(ClaimRecorded), nameof(SourceAttached), nameof(ClaimCorroborated), nameof(ClaimDisputed), nameof(FindingRecorded), nameof(ClaimRecordAmended), nameof(VerdictIssued), nameof(ClaimRetracted)],
            history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.All(history.EnumerateArray(), e => Assert.Equal("Mei Lin", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task reads_list_search_history_as_of_diff_and_replay()
    {
        var client = api.Client(api.CheckerKey);
        var id = await RecordAsync(client);
        await client.SendAsync(Post($"/claims/{id}/disputes", new { reason = "figure looks high" }, ifMatch: 1));
        await client.SendAsync(Post($"/claims/{id}/verdicts", new { rating = "False", rationale = "no", evidence = Evidence }, ifMatch: 2));

        var list = await client.GetFromJsonAsync<JsonElement>("/claims?verdict=False&kind=Quantity&pageSize=200");
        var asOf = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}/as-of?version=2");
        var diff = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}/diff?from=1&to=3");
        var replay = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}/replay");

        Assert.Contains(list.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        Assert.Equal("Disputed", asOf.GetProperty("status").GetString());
        Assert.Contains(diff.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "verdict");
        Assert.Equal(3, replay.GetArrayLength());
    }

    [Fact]
    public async Task a_write_without_if_match_is_428_and_a_stale_one_is_412_with_the_current_version()
    {
        var client = api.Client(api.CheckerKey);
        var id = await RecordAsync(client);
        await client.SendAsync(Post($"/claims/{id}/disputes", new { reason = "first" }, ifMatch: 1));

        var missing = await client.SendAsync(Post($"/claims/{id}/disputes", new { reason = "no precondition" }));
        var stale = await client.SendAsync(Post($"/claims/{id}/disputes", new { reason = "from an old page" }, ifMatch: 1));

        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(2, (await Problem(stale)).GetProperty("currentVersion").GetInt64());
        Assert.Equal("\"2\"", stale.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task two_writers_with_the_same_if_match_one_wins_one_gets_412_and_no_event_is_lost()
    {
        var client = api.Client(api.CheckerKey);
        var id = await RecordAsync(client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => client.SendAsync(Post($"/claims/{id}/disputes", new { reason = $"writer {i}" }, ifMatch: 1))));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order());
        var history = await client.GetFromJsonAsync<JsonElement>($"/claims/{id}/history");
        Assert.Equal(2, history.GetArrayLength());
    }

    [Fact]
    public async Task errors_are_problem_details_400_with_fields_404_and_409_with_the_rule()
    {
        var client = api.Client(api.CheckerKey);
        var id = await RecordAsync(client);

        var invalid = await client.SendAsync(Post("/claims", new { kind = "Quantity", statement = "", value = new { amount = "lots" }, appearance = Cnn("China") }));
        var notJson = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/claims") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") });
        var unknownKind = await client.SendAsync(Post("/claims", new { kind = "Rumour", statement = "x", appearance = Cnn("China") }));
        var missing = await client.GetAsync("/claims/no-such-claim");
        var rule = await client.SendAsync(Post($"/claims/{id}/verdicts", new { rating = "True", rationale = "no evidence" }, ifMatch: 1));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Problem(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("statement", out _));
        Assert.True(errors.TryGetProperty("value.amount", out _));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        await Problem(notJson);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Problem(missing);
        Assert.Equal(HttpStatusCode.Conflict, rule.StatusCode);
        Assert.Equal("verdict-needs-independent-evidence", (await Problem(rule)).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task an_oversized_body_is_413()
    {
        var body = JsonSerializer.Serialize(new { kind = "Statement", statement = new string('x', 200_000), appearance = Cnn("China") });
        var response = await api.Client(api.CheckerKey).PostAsync("/claims", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problem(response);
    }

    [Fact]
    public async Task no_key_is_401_a_revoked_key_is_401_and_an_auditor_cannot_write()
    {
        var anonymous = await api.Client().GetAsync("/claims");
        var revoked = await api.Client(api.RevokedKey).GetAsync("/claims");
        var forged = await api.Client(api.CheckerKey[..^4] + "AAAA").GetAsync("/claims");
        var auditorWrite = await api.Client(api.AuditorKey).SendAsync(Post("/claims", RecordBody("auditor-try")));
        var auditorRead = await api.Client(api.AuditorKey).GetAsync("/claims");
        var checkerAudit = await api.Client(api.CheckerKey).GetAsync("/audit/digest");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Problem(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditorWrite.StatusCode);
        await Problem(auditorWrite);
        Assert.Equal(HttpStatusCode.OK, auditorRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, checkerAudit.StatusCode);
    }

    [Fact]
    public async Task an_auditor_gets_the_digest_verification_a_proof_and_a_report()
    {
        var id = await RecordAsync(api.Client(api.CheckerKey));
        var auditor = api.Client(api.AuditorKey);

        var digest = await auditor.GetFromJsonAsync<JsonElement>("/audit/digest");
        var verify = await (await auditor.PostAsJsonAsync("/audit/verify", digest)).Content.ReadFromJsonAsync<JsonElement>();
        var proof = await auditor.GetFromJsonAsync<JsonElement>($"/audit/claims/{id}/proof");
        var report = await auditor.GetStringAsync($"/audit/claims/{id}/report?format=html");

        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(1, proof.GetProperty("entry").GetProperty("version").GetInt64());
        Assert.Contains(id, report);
    }

    [Fact]
    public async Task an_admin_creates_lists_and_revokes_keys_and_a_created_key_works_once_and_then_not()
    {
        var admin = api.Client(api.AdminKey);

        var created = await (await admin.PostAsJsonAsync("/keys", new { person = "New Checker", role = "Checker" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var before = await api.Client(key).GetAsync("/claims");
        await admin.DeleteAsync($"/keys/{created.GetProperty("id").GetString()}");
        var after = await api.Client(key).GetAsync("/claims");
        var listed = await admin.GetStringAsync("/keys");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("New Checker", listed);
        Assert.DoesNotContain(key.Split('_')[2], listed);
    }

    [Fact]
    public async Task documents_are_registered_and_read_over_http()
    {
        var client = api.Client(api.CheckerKey);

        var created = await client.PostAsJsonAsync("/documents", new { id = "http-doc", publisher = "Wire", title = "T", text = "Some text." });
        var document = await client.GetFromJsonAsync<JsonElement>("/documents/http-doc");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Some text.", document.GetProperty("text").GetString());
        Assert.Contains("http-doc", await client.GetStringAsync("/documents"));
    }

    [Fact]
    public async Task health_openapi_and_the_web_page_are_served()
    {
        var client = api.Client();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var page = await client.GetAsync("/");
        var reference = await client.GetAsync("/reference");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/claims", "/claims/{id}", "/claims/{id}/verdicts", "/claims/{id}/claimreview", "/audit/digest", "/keys", "/documents" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }

        Assert.True(paths.GetProperty("/claims/{id}/verdicts").GetProperty("post").GetProperty("responses").TryGetProperty("412", out _));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("/reference.html", reference.Headers.Location?.ToString());
    }

    [Fact]
    public async Task a_rated_seed_claim_is_published_as_claimreview_and_an_unrated_one_is_not()
    {
        await api.Ledger.SendAsync(new Seeds.ImportSeeds.Command(Repository.Path("seeds")));
        var client = api.Client(api.CheckerKey);

        var response = await client.GetAsync("/claims/no-limits-partnership-declared-at-sco-summit/claimreview");
        var review = await response.Content.ReadFromJsonAsync<JsonElement>();
        var unrated = await client.GetAsync($"/claims/{await RecordAsync(client)}/claimreview");

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ClaimReview", review.GetProperty("@type").GetString());
        Assert.StartsWith("The China-Russia 'no limits' partnership was declared in 2022", review.GetProperty("claimReviewed").GetString());
        Assert.Equal(2, review.GetProperty("reviewRating").GetProperty("ratingValue").GetInt32());
        Assert.Equal("Mostly false", review.GetProperty("reviewRating").GetProperty("alternateName").GetString());
        Assert.Equal("inpactimes.com", review.GetProperty("itemReviewed").GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("2026-10-14", review.GetProperty("datePublished").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unrated.StatusCode);
    }

    [Fact]
    public async Task wrong_secrets_for_a_key_are_refused_with_429_and_the_right_secret_still_works()
    {
        await using var fresh = new ApiFixture();
        await fresh.InitializeAsync();
        var wrong = fresh.CheckerKey[..^6] + "ZZZZZZ";

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add(await fresh.Client(wrong).GetAsync("/claims"));
        }

        var right = await fresh.Client(fresh.CheckerKey).GetAsync("/claims");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), statuses.Take(10).Select(r => r.StatusCode));
        Assert.Equal((HttpStatusCode)429, statuses[^1].StatusCode);
        Assert.NotNull(statuses[^1].Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }
}
