using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClaimLedger.Claims;
using static ClaimLedger.IntegrationTests.ApiFixture;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>The tools behind the web app's forms: checkers only, nothing written, the server's own parsers.</summary>
public class WorkbenchApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_checker_gets_a_suggestion_for_a_selected_passage_normalized_as_recording_would()
    {
        var response = await api.Client(api.CheckerKey).SendAsync(Post("/workbench/claim-suggestion",
            new { excerpt = "trade hit 1.28 trillion yuan in 2022", publishedOn = "2023-02-22" }));

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Quantity", "1280000000000"), (body.GetProperty("kind").GetString(), body.GetProperty("value").GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task a_value_the_ledger_cannot_read_is_answered_with_the_field_and_what_was_expected()
    {
        var response = await api.Client(api.CheckerKey).SendAsync(Post("/workbench/claim-value",
            new { kind = "Event", value = new Dictionary<string, string> { ["what"] = "visit", ["date"] = "June 2018" } }));

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("value").ValueKind);
        Assert.Equal("value.date", body.GetProperty("problems")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task html_is_turned_into_text_and_an_empty_page_is_refused_naming_the_field()
    {
        var client = api.Client(api.CheckerKey);

        var converted = await client.SendAsync(Post("/workbench/text-from-html", new { html = "<h1>Title</h1><script>x()</script><p>Body</p>" }));
        var empty = await client.SendAsync(Post("/workbench/text-from-html", new { html = "" }));

        Assert.Equal("Title\n\nBody", (await converted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("html", (await empty.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_tools_are_for_checkers_only()
    {
        var asAuditor = await api.Client(api.AuditorKey).SendAsync(Post("/workbench/claim-suggestion", new { excerpt = "x" }));
        var anonymous = await api.Client().SendAsync(Post("/workbench/text-from-html", new { html = "<p>x</p>" }));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized), (asAuditor.StatusCode, anonymous.StatusCode));
    }

    [Fact]
    public async Task a_documents_citations_list_every_span_that_claims_take_from_it()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        await api.Ledger.SendAsync(new AttachSource.Command(id, GlobalTimes("1.28 trillion yuan"), Stance.Supports, null, null, MeiLin));
        await api.Ledger.SendAsync(new IssueVerdict.Command(id, Rating.True, "customs data", [DeskNote()], null, MeiLin));
        var client = api.Client(api.CheckerKey);

        var cnn = await client.GetFromJsonAsync<JsonElement>("/documents/cnn-2023/citations");
        var gt = await client.GetFromJsonAsync<JsonElement>("/documents/gt-2018/citations");
        var desk = await client.GetFromJsonAsync<JsonElement>("/documents/desk-note/citations");

        string Roles(JsonElement citations) => string.Join(",", citations.EnumerateArray()
            .Where(c => c.GetProperty("claimId").GetString() == id).Select(c => $"{c.GetProperty("role").GetString()}@{c.GetProperty("start").GetInt32()}"));
        Assert.Equal($"Appearance@{Cnn("trade hit 1.28 trillion yuan in 2022").Start}", Roles(cnn));
        Assert.Equal($"Source@{GlobalTimes("1.28 trillion yuan").Start}", Roles(gt));
        Assert.Equal($"VerdictEvidence@{DeskNote().Start}", Roles(desk));
    }

    [Fact]
    public async Task a_documents_citations_include_the_evidence_of_findings_and_attribution_checks()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        await api.Ledger.SendAsync(new RecordFinding.Command(id, "amount", "1.28 trillion", "customs data", [DeskNote()], null, MeiLin));
        var quote = await api.Ledger.SendAsync(new RecordClaim.Command($"quote-{Guid.NewGuid():N}"[..18], ClaimKind.Quote, "Wang said ties are solid",
            new Dictionary<string, string?> { ["speaker"] = "Wang Yi", ["words"] = "Wang Yi visited Moscow" }, Cnn("Wang Yi visited Moscow"), MeiLin));
        await api.Ledger.SendAsync(new CheckAttribution.Command(quote.ClaimId, Attribution.Paraphrase, "reported, not quoted", [GlobalTimes("officials said")], null, null, MeiLin));
        var client = api.Client(api.CheckerKey);

        var desk = await client.GetFromJsonAsync<JsonElement>("/documents/desk-note/citations");
        var gt = await client.GetFromJsonAsync<JsonElement>("/documents/gt-2018/citations");

        string RoleOf(JsonElement citations, string claimId) => string.Join(",", citations.EnumerateArray()
            .Where(c => c.GetProperty("claimId").GetString() == claimId).Select(c => c.GetProperty("role").GetString()));
        Assert.Equal("FindingEvidence", RoleOf(desk, id));
        Assert.Equal("AttributionEvidence", RoleOf(gt, quote.ClaimId));
    }
}
