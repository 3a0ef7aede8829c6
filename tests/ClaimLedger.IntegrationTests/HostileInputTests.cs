using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClaimLedger.Documents;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Bad input over HTTP, one row per kind of mistake or attack: each gets its own status and names the field or rule,
/// and nothing is written. Text that only looks dangerous (SQL, HTML) is stored verbatim. The importer's and the
/// CLI's bad inputs are in SeedImportTests and CliTests.
/// </summary>
public class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string EmojiText = "Smile \U0001F600 please";
    private string _claim = "";

    public async Task InitializeAsync()
    {
        await api.Ledger.SendAsync(new RegisterDocument.Command("emoji-doc", "Emoji Wire", "t", null, null, "en", DocumentKind.Article, EmojiText, LedgerFixture.MeiLin));
        _claim = await api.Ledger.RecordTradeClaimAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Record(string? id = null, string kind = "Statement", object? statement = null, object? value = null, object? appearance = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id, ["kind"] = kind, ["statement"] = statement ?? "A statement", ["value"] = value ?? new { },
            ["appearance"] = appearance ?? LedgerFixture.Cnn("China"),
        });

    private static object Span(int start, int end, string excerpt) => new { documentId = "cnn-2023", start, end, excerpt };

    public static TheoryData<string, string, string, string?, string?, int, string> Cases() => new()
    {
        // name, method, path ({claim} is an existing claim), body, If-Match, status, field or rule named in the answer
        { "malformed JSON", "POST", "/claims", "{not json", null, 400, "" },
        { "an array instead of an object", "POST", "/claims", "[1,2]", null, 400, "" },
        { "a number where text belongs", "POST", "/claims", Record(statement: 5), null, 400, "" },
        { "no statement", "POST", "/claims", Record(statement: ""), null, 400, "statement" },
        { "no appearance", "POST", "/claims", """{"kind":"Statement","statement":"x","value":{}}""", null, 400, "" },
        { "an unknown kind", "POST", "/claims", Record(kind: "Rumour"), null, 400, "" },
        { "a negative span start", "POST", "/claims", Record(appearance: Span(-1, 5, "China")), null, 400, "appearance.start" },
        { "a span ending before it starts", "POST", "/claims", Record(appearance: Span(5, 2, "x")), null, 400, "appearance.end" },
        { "a span outside the text", "POST", "/claims", Record(appearance: Span(0, 99_999, "x")), null, 400, "appearance.end" },
        { "a span splitting a surrogate pair", "POST", "/claims", Record(appearance: new { documentId = "emoji-doc", start = 7, end = 10, excerpt = EmojiText[7..10] }), null, 400, "appearance.start" },
        { "an excerpt that is not the text", "POST", "/claims", Record(appearance: Span(0, 5, "Chinx")), null, 400, "appearance.excerpt" },
        { "an unregistered document", "POST", "/claims", Record(appearance: new { documentId = "nowhere", start = 0, end = 1, excerpt = "x" }), null, 400, "appearance.document" },
        { "a malformed claim id", "POST", "/claims", Record(id: "Bad Id!"), null, 400, "claimId" },
        { "a duplicate claim id", "POST", "/claims", Record(id: "{claim}"), null, 409, "duplicate-claim-id" },
        { "a statement over 1,000 characters", "POST", "/claims", Record(statement: new string('x', 1001)), null, 400, "statement" },
        { "a control character", "POST", "/claims", Record(statement: "before\u0000after"), null, 400, "statement" },
        { "a bidirectional override", "POST", "/claims", Record(statement: "rating: \u202Eeslaf"), null, 400, "statement" },
        { "a C1 next-line control in a reason", "POST", "/claims/{claim}/disputes", JsonSerializer.Serialize(new { reason = "looks\u0085fine" }), "1", 400, "reason" },
        { "a C1 control-sequence introducer in a statement", "POST", "/claims", Record(statement: "\u009B31mred"), null, 400, "statement" },
        { "a NUL in a document's text", "POST", "/documents", JsonSerializer.Serialize(new { publisher = "P", title = "T", text = "before\u0000after" }), null, 400, "text" },
        { "a C1 control in a document's title", "POST", "/documents", JsonSerializer.Serialize(new { publisher = "P", title = "T\u0085", text = "x" }), null, 400, "title" },
        { "a date that does not exist", "POST", "/claims", Record(kind: "Event", value: new { what = "visit", date = "2023-02-30" }), null, 400, "value.date" },
        { "a month 13", "POST", "/claims", Record(kind: "Event", value: new { what = "visit", date = "2023-13" }), null, 400, "value.date" },
        { "a precision that contradicts the date", "POST", "/claims", Record(kind: "Event", value: new { what = "visit", date = "2023-02", precision = "Day" }), null, 400, "value.precision" },
        { "a count of zero", "POST", "/claims", Record(kind: "Expulsion", value: new { expellingParty = "US", expelledParty = "diplomats", count = "0" }), null, 400, "value.count" },
        { "a negative count", "POST", "/claims", Record(kind: "Expulsion", value: new { expellingParty = "US", expelledParty = "diplomats", count = "-60" }), null, 400, "value.count" },
        { "an amount that is not a number", "POST", "/claims", Record(kind: "Quantity", value: new { amount = "lots", unit = "yuan" }), null, 400, "value.amount" },
        { "a field the kind does not have", "POST", "/claims", Record(kind: "Quote", value: new { speaker = "Wang", words = "x", amount = "5" }), null, 400, "value.amount" },
        { "an enormous string (10 MB)", "POST", "/claims", Record(statement: new string('x', 10_000_000)), null, 413, "too large" },
        { "deeply nested JSON", "POST", "/claims", new string('[', 5_000) + new string(']', 5_000), null, 400, "" },
        { "an unknown rating", "POST", "/claims/{claim}/verdicts", """{"rating":"Pants on fire","rationale":"x"}""", "1", 400, "rating" },
        { "a rationale over 10,000 characters", "POST", "/claims/{claim}/verdicts", JsonSerializer.Serialize(new { rating = "True", rationale = new string('x', 10_001) }), "1", 400, "rationale" },
        { "a verdict with no evidence", "POST", "/claims/{claim}/verdicts", """{"rating":"True","rationale":"looks right"}""", "1", 409, "verdict-needs-independent-evidence" },
        { "an empty dispute reason", "POST", "/claims/{claim}/disputes", """{"reason":""}""", "1", 400, "reason" },
        { "more than 50 pieces of evidence", "POST", "/claims/{claim}/disputes", JsonSerializer.Serialize(new { reason = "x", evidence = Enumerable.Repeat(LedgerFixture.DeskNote(), 51) }), "1", 400, "evidence" },
        { "a finding on a field the kind lacks", "POST", "/claims/{claim}/findings", JsonSerializer.Serialize(new { field = "speaker", established = "x", note = "x", evidence = new[] { LedgerFixture.DeskNote() } }), "1", 400, "field" },
        { "an amendment that changes nothing", "POST", "/claims/{claim}/amendments", JsonSerializer.Serialize(new { field = "unit", newValue = "yuan", reason = "x", appearance = LedgerFixture.Cnn("trade hit 1.28 trillion yuan in 2022") }), "1", 409, "amendment-changes-nothing" },
        { "a rating resting on the claim's own article", "POST", "/claims/{claim}/verdicts", JsonSerializer.Serialize(new { rating = "True", rationale = "x", evidence = new[] { LedgerFixture.Cnn("Wang Yi visited Moscow") } }), "1", 409, "verdict-needs-independent-evidence" },
        { "unverifiable without the sources tried", "POST", "/claims/{claim}/verdicts", JsonSerializer.Serialize(new { rating = "Unverifiable", rationale = "x" }), "1", 400, "sourcesTried" },
        { "an attribution check on a claim that is not a quote", "POST", "/claims/{claim}/attribution", JsonSerializer.Serialize(new { result = "Accurate", note = "x", evidence = new[] { LedgerFixture.DeskNote() } }), "1", 409, "attribution-only-for-quotes" },
        { "an attribution result outside the list", "POST", "/claims/{claim}/attribution", JsonSerializer.Serialize(new { result = "Sort of", note = "x" }), "1", 400, "result" },
        { "an expected version in the future", "POST", "/claims/{claim}/disputes", """{"reason":"x"}""", "99", 412, "currentVersion" },
        { "a malformed If-Match", "POST", "/claims/{claim}/disputes", """{"reason":"x"}""", "abc", 428, "If-Match" },
        { "a write to an unknown claim", "POST", "/claims/no-such-claim/disputes", """{"reason":"x"}""", "1", 404, "no-such-claim" },
        { "a read of an unknown claim", "GET", "/claims/no-such-claim", null, null, 404, "no-such-claim" },
        { "as-of with both a version and a time", "GET", "/claims/{claim}/as-of?version=1&at=2026-01-01T00:00:00Z", null, null, 400, "version" },
        { "as-of version 0", "GET", "/claims/{claim}/as-of?version=0", null, null, 400, "version" },
        { "a page size of 10,000", "GET", "/claims?pageSize=10000", null, null, 400, "pageSize" },
        { "an unknown status filter", "GET", "/claims?status=Lost", null, null, 400, "" },
        { "a diff backwards", "GET", "/claims/{claim}/diff?from=2&to=1", null, null, 400, "to" },
        { "a malformed proof id", "GET", "/claims/Bad%20Id/history", null, null, 400, "claimId" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task bad_input_gets_its_own_error_and_writes_nothing(string name, string method, string path, string? body, string? ifMatch, int status, string named)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{claim}", _claim, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body.Replace("{claim}", _claim, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch == "abc" ? "abc" : $"\"{ifMatch}\"");
        }

        var before = await api.Ledger.EventCountAsync();
        var response = await api.Client(api.CheckerKey).SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode} {answer}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", answer, StringComparison.Ordinal);
        Assert.Equal(before, await api.Ledger.EventCountAsync());
    }

    [Theory]
    [InlineData("'; drop table claimledger.mt_events; --")]
    [InlineData("<script>alert(document.cookie)</script>")]
    [InlineData("Robert'); DELETE FROM cl_ledger_entries;--")]
    public async Task text_that_only_looks_dangerous_is_stored_verbatim(string text)
    {
        var id = $"verbatim-{Guid.NewGuid():N}"[..20];

        var created = await api.Client(api.CheckerKey).PostAsync("/claims", new StringContent(Record(id: id, statement: text), Encoding.UTF8, "application/json"));
        var claim = await api.Client(api.CheckerKey).GetFromJsonAsync<JsonElement>($"/claims/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(text, claim.GetProperty("statement").GetString());
        Assert.True((await api.Ledger.SendAsync(new Ledger.VerifyLedger.Query())).Intact);
    }
}
