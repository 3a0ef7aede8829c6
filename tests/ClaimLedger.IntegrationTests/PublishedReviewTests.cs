using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using ClaimLedger.Api;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using Marten;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// What the ledger publishes about its reviews: the public pages, and the ClaimReview export of the seeded ledger checked
/// item by item against Google's fact-check structured-data requirements and expanded by a JSON-LD processor.
/// </summary>
public class PublishedReviewTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Schema = "http://schema.org/";
    private static readonly ReviewPublishing Desk = ReviewPublishing.From("https://factcheck.example.org/desk", "Example Fact Desk", "https://example.org/");

    /// <summary>Every schema.org type and property the markup may use; an IRI outside this set is a misspelt or invented term.</summary>
    private static readonly HashSet<string> KnownTerms =
    [
        .. new[]
        {
            "ClaimReview", "Claim", "Rating", "Organization", "Person", "CreativeWork", "Date",
            "claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed", "appearance", "firstAppearance",
            "alternateName", "ratingValue", "bestRating", "worstRating", "ratingExplanation", "name", "headline", "publisher", "creditText", "description",
        }.Select(t => Schema + t),
    ];

    private sealed record Seeded(IReadOnlyList<JsonObject> Export, IReadOnlyDictionary<string, Claim> Claims, IReadOnlyDictionary<string, SourceDocument> Documents);

    private async Task<Seeded> SeededExportAsync()
    {
        await api.Ledger.SendAsync(new Seeds.ImportSeeds.Command(Repository.Path("seeds")));
        var export = await api.Ledger.SendAsync(new ClaimReviews.Query(null, Desk));
        await using var session = api.Ledger.Store.QuerySession();
        var claims = (await session.Query<Claim>().ToListAsync()).ToDictionary(c => Desk.PageUrl(c.Id));
        var documents = (await session.Query<SourceDocument>().ToListAsync()).ToDictionary(d => d.Id);
        return new(export, claims, documents);
    }

    [Fact]
    public async Task every_item_of_the_seeded_export_carries_every_property_googles_fact_check_guidelines_require()
    {
        var (export, claims, documents) = await SeededExportAsync();
        var published = claims.Values.Count(ClaimReviews.IsPublished);

        Assert.True(published >= 50, $"the seeded ledger should have many rated claims; found {published}");
        Assert.Equal(published, export.Count);
        foreach (var item in export)
        {
            var claim = claims[Text(item, "url")];
            var because = $"review of {claim.Id}";
            Assert.True(ClaimReviews.IsPublished(claim), because);
            Assert.Equal("https://schema.org", Text(item, "@context"));
            Assert.Equal("ClaimReview", Text(item, "@type"));
            Assert.Equal(claim.Statement, Text(item, "claimReviewed"));
            Assert.StartsWith("https://factcheck.example.org/desk/reviews/", Text(item, "url"), StringComparison.Ordinal);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", Text(item, "datePublished"));
            Assert.Equal(["Organization", "Example Fact Desk", "https://example.org/"], [Text(item["author"], "@type"), Text(item["author"], "name"), Text(item["author"], "url")]);

            var rating = item["reviewRating"]!.AsObject();
            Assert.Equal("Rating", Text(rating, "@type"));
            Assert.Equal(Ratings.Label(claim.Verdict!.Rating), Text(rating, "alternateName"));
            if (Ratings.ScaleValue(claim.Verdict.Rating) is { } value)
            {
                Assert.Equal([value, 5, 1], [rating["ratingValue"]!.GetValue<int>(), rating["bestRating"]!.GetValue<int>(), rating["worstRating"]!.GetValue<int>()]);
            }
            else
            {
                Assert.False(rating.ContainsKey("ratingValue") || rating.ContainsKey("bestRating") || rating.ContainsKey("worstRating"), because);
            }

            var reviewed = item["itemReviewed"]!.AsObject();
            Assert.Equal("Claim", Text(reviewed, "@type"));
            Assert.Equal(claim.Value is QuoteValue ? "Person" : "Organization", Text(reviewed["author"], "@type"));
            Assert.Equal(claim.Value is QuoteValue quote ? quote.Speaker : documents[claim.Appearance.DocumentId].Publisher, Text(reviewed["author"], "name"));
            var appearance = documents[claim.Appearance.DocumentId];
            Assert.Equal(appearance.DateInference is null ? appearance.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null, reviewed["datePublished"]?.GetValue<string>());

            var works = reviewed["appearance"]!.AsArray();
            Assert.NotEmpty(works);
            foreach (var work in works)
            {
                var document = Assert.Single(documents.Values, d => d.Title == Text(work, "headline") && d.Publisher == Text(work!["publisher"], "name"));
                Assert.Equal(DocumentKind.Article, document.Kind);
                Assert.Equal(document.DateInference is null ? document.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null, work!["datePublished"]?.GetValue<string>());
            }
        }
    }

    [NodeFact]
    public async Task every_item_of_the_seeded_export_expands_as_json_ld_into_schema_org_terms_only()
    {
        var (export, _, _) = await SeededExportAsync();
        var expanded = await ExpandAsync(new JsonArray(export.Select(i => (JsonNode)i.DeepClone()).ToArray()));

        Assert.Equal(export.Count, expanded.Count);
        foreach (var node in expanded)
        {
            var item = node!.AsObject();
            Assert.Equal([Schema + "ClaimReview"], Types(item));
            Assert.NotEmpty(Value(item, "claimReviewed"));
            Assert.StartsWith("https://factcheck.example.org/desk/reviews/", Single(item, "url")["@id"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(Schema + "Date", Single(item, "datePublished")["@type"]!.GetValue<string>());

            var rating = Single(item, "reviewRating");
            Assert.Equal([Schema + "Rating"], Types(rating));
            Assert.NotEmpty(Value(rating, "alternateName"));

            var author = Single(item, "author");
            Assert.Equal([Schema + "Organization"], Types(author));
            Assert.Equal("Example Fact Desk", Value(author, "name"));
            Assert.Equal("https://example.org/", Single(author, "url")["@id"]!.GetValue<string>());

            var reviewed = Single(item, "itemReviewed");
            Assert.Equal([Schema + "Claim"], Types(reviewed));
            Assert.NotEmpty(Value(Single(reviewed, "author"), "name"));
            Assert.NotEmpty(reviewed[Schema + "appearance"]!.AsArray());
            Assert.All(reviewed[Schema + "appearance"]!.AsArray(), work => Assert.Equal([Schema + "CreativeWork"], Types(work!.AsObject())));

            var unknown = Terms(item).Where(t => !KnownTerms.Contains(t)).Distinct().ToList();
            Assert.True(unknown.Count == 0, $"not schema.org terms the markup should use: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public async Task a_review_page_is_public_and_embeds_the_same_markup_the_api_serves()
    {
        await api.Ledger.SendAsync(new Seeds.ImportSeeds.Command(Repository.Path("seeds")));
        const string id = "no-limits-partnership-declared-at-sco-summit";

        var response = await api.Client().GetAsync($"/reviews/{id}");
        var markup = await api.Client(api.CheckerKey).GetStringAsync($"/claims/{id}/claimreview");
        var html = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonNode.Parse(markup)!.ToJsonString(), JsonNode.Parse(Assert.Single(html.Scripts).TextContent)!.ToJsonString());
        Assert.Equal("http://127.0.0.1:5080/reviews/" + id, html.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Contains("Verdict:", html.QuerySelector("#verdict")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_withdrawn_review_keeps_its_public_page_with_the_reason_and_leaves_the_export()
    {
        var id = await api.Ledger.RecordTradeClaimAsync();
        await api.Ledger.SendAsync(new IssueVerdict.Command(id, Rating.True, "Customs data agree.", [DeskNote()], null, MeiLin));
        await api.Ledger.SendAsync(new RetractClaim.Command(id, "Recorded from the wrong sentence.", null, MeiLin));

        var response = await api.Client().GetAsync($"/reviews/{id}");
        var html = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var export = await api.Ledger.SendAsync(new ClaimReviews.Query(null, Desk));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Recorded from the wrong sentence.", html.QuerySelector(".withdrawn")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.Scripts);
        Assert.DoesNotContain(export, r => r["url"]!.GetValue<string>() == Desk.PageUrl(id));
    }

    [Fact]
    public async Task a_date_registered_as_inferred_through_the_api_is_shown_as_an_estimate_and_never_published_as_the_date()
    {
        var client = api.Client(api.CheckerKey);
        var registered = await client.SendAsync(ApiFixture.Post("/documents", new
        {
            id = "undated-report", publisher = "Undated Wire", title = "Trade report", publishedOn = "2023-01-14", kind = "Article",
            text = CnnText, dateInference = "The text gives no date; it calls the customs release of 13 January 'yesterday'.",
        }));
        var id = $"undated-{Guid.NewGuid():N}"[..16];
        await api.Ledger.SendAsync(new RecordClaim.Command(id, ClaimKind.Quantity, "China-Russia trade hit 1.28 trillion yuan in 2022",
            new Dictionary<string, string?> { ["amount"] = "1.28 trillion", ["unit"] = "yuan", ["period"] = "2022" },
            Span("undated-report", CnnText, "trade hit 1.28 trillion yuan in 2022"), MeiLin));
        await api.Ledger.SendAsync(new IssueVerdict.Command(id, Rating.True, "Customs data agree.", [DeskNote()], null, MeiLin));

        var review = JsonNode.Parse(await client.GetStringAsync($"/claims/{id}/claimreview"))!;
        var page = await api.Client().GetStringAsync($"/reviews/{id}");

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.False(review["itemReviewed"]!.AsObject().ContainsKey("datePublished"));
        Assert.False(review["itemReviewed"]!["appearance"]![0]!.AsObject().ContainsKey("datePublished"));
        Assert.Contains("undated; the desk estimates 14 January 2023", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_review_is_a_404_page()
    {
        var response = await api.Client().GetAsync("/reviews/no-such-claim");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("factcheck.example.org")]
    [InlineData("file:///srv/reviews")]
    public void the_server_does_not_start_with_a_public_url_that_is_not_an_absolute_web_address(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiHost.Build(api.Ledger.Options, new ApiOptions(PublicUrl: url)));

        Assert.Contains("--public-url", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    private static string Text(JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"'{property}' is missing from {node?.ToJsonString()}");

    private static JsonObject Single(JsonObject node, string term) =>
        Assert.Single(node[Schema + term]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"{Schema}{term} is missing from {node.ToJsonString()}"))!.AsObject();

    private static string Value(JsonObject node, string term) => Single(node, term)["@value"]!.GetValue<string>();

    private static string[] Types(JsonObject node) => node["@type"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();

    /// <summary>Every property and type IRI of an expanded node and the nodes inside it.</summary>
    private static IEnumerable<string> Terms(JsonNode? node) => node switch
    {
        JsonArray array => array.SelectMany(Terms),
        JsonObject obj => obj.SelectMany(p => p.Key switch
        {
            "@type" => p.Value is JsonArray types ? types.Select(t => t!.GetValue<string>()) : [p.Value!.GetValue<string>()],
            "@value" or "@id" => [],
            _ => Terms(p.Value).Prepend(p.Key),
        }),
        _ => [],
    };

    private static async Task<JsonArray> ExpandAsync(JsonArray markup)
    {
        var input = Path.Combine(Path.GetTempPath(), $"claimledger-claimreview-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, markup.ToJsonString());
        try
        {
            var script = Repository.Path("eng", "jsonld", "expand.mjs");
            Assert.True(Directory.Exists(Repository.Path("eng", "jsonld", "node_modules", "jsonld")),
                "eng/jsonld/node_modules/jsonld is missing: ./test installs it (npm ci in eng/jsonld).");
            using var node = Process.Start(new ProcessStartInfo("node", [script, input]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            Assert.True(node.ExitCode == 0, $"jsonld expand failed: {await errors}");
            return JsonNode.Parse(await output)!.AsArray();
        }
        finally
        {
            File.Delete(input);
        }
    }
}

/// <summary>A test that runs Node.js: skipped, saying so, where node is not installed (./test installs it).</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!onPath.Any(folder => File.Exists(Path.Combine(folder, "node"))))
        {
            Skip = "needs Node.js (node) on PATH to expand JSON-LD with jsonld.js; ./test installs npm and node";
        }
    }
}
