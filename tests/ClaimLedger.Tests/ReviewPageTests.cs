using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using static ClaimLedger.Tests.Given;

namespace ClaimLedger.Tests;

public class ReviewPageTests
{
    private static readonly ReviewPublishing Desk = ReviewPublishing.From("https://factcheck.example", "Example Fact Desk", null);

    private static SourceDocument Document(string id, string publisher, string title, string? url, DocumentKind kind = DocumentKind.Article, string? inferred = null) =>
        new(id, publisher, title, new DateOnly(2023, 2, 22), url, "en", kind, "text", "h", "a", T0) { DateInference = inferred };

    private static readonly Dictionary<string, SourceDocument> Documents = new()
    {
        ["cnn-2023"] = Document("cnn-2023", "CNN", "China's top diplomat vows to strengthen ties", "https://example.org/cnn"),
        ["gt-2018"] = Document("gt-2018", "Global Times", "Western pressure", null),
        ["desk-note"] = Document("desk-note", "Customs office", "Trade in 2022", "https://customs.example/2022", DocumentKind.Evidence),
    };

    private static GetReviewPage.Page Page(Claim claim, IReadOnlyDictionary<string, SourceDocument>? documents = null)
    {
        documents ??= Documents;
        return new(claim, documents, ClaimReviews.IsPublished(claim) ? ClaimReviews.Build(claim, documents, Desk) : null, Desk);
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Parse(GetReviewPage.Page page) => new HtmlParser().ParseDocument(ReviewPageHtml.Render(page));

    private static VerdictIssued Verdict(string rationale) => new("trade-total", Rating.MostlyFalse, rationale, [DeskNote()], null, "Mei Lin", T0.AddDays(2));

    [Fact]
    public void a_rated_claim_shows_the_claim_as_printed_the_verdict_and_every_source_and_embeds_the_same_review_as_json_ld()
    {
        var page = Page(Claim(new ClaimCorroborated("trade-total", GlobalTimes(), null, "Priya Raman", T0.AddDays(1)), Verdict("Customs put it at 1.9 trillion.")));

        var html = Parse(page);
        var markup = html.QuerySelectorAll("script[type='application/ld+json']");

        Assert.Equal("Trade hit 1.28 trillion yuan in 2022", html.QuerySelector("h1")!.TextContent);
        Assert.Contains("Verdict: Mostly false", html.QuerySelector("#verdict")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Customs put it at 1.9 trillion.", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["CNN", "Global Times", "Customs office"], html.QuerySelectorAll("ol.sources li").Select(li => Documents.Values.Single(d => li.TextContent.Contains(d.Publisher, StringComparison.Ordinal)).Publisher));
        Assert.Contains("https://customs.example/2022", html.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Equal("https://factcheck.example/reviews/trade-total", html.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal(page.Review!.ToJsonString(), JsonNode.Parse(Assert.Single(markup).TextContent)!.ToJsonString());
    }

    [Fact]
    public void a_rationale_that_tries_to_close_the_script_element_stays_text_and_leaves_the_markup_whole()
    {
        const string attack = "Fine.</script><script>alert(document.cookie)</script><a href=\"javascript:alert(1)\">x</a>";
        var page = Page(Claim(Verdict(attack)));

        var rendered = ReviewPageHtml.Render(page);
        var html = new HtmlParser().ParseDocument(rendered);

        var script = Assert.Single(html.Scripts);
        Assert.Equal("application/ld+json", script.Type);
        Assert.Equal(attack, JsonNode.Parse(script.TextContent)!["reviewRating"]!["ratingExplanation"]!.GetValue<string>());
        Assert.DoesNotContain("</script><script>", rendered, StringComparison.Ordinal);
        Assert.Contains(attack, html.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(html.QuerySelectorAll("a"), a => a.GetAttribute("href")!.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void a_statement_with_markup_inside_the_json_ld_cannot_end_the_script_element()
    {
        var recorded = Recorded() with { Statement = "Trade </script><img src=x onerror=alert(1)> grew" };
        var claim = ClaimEvolution.Evolve(ClaimEvolution.Evolve(null, recorded), Verdict("why"))!;

        var html = Parse(Page(claim));

        Assert.Single(html.Scripts);
        Assert.Empty(html.Images);
        Assert.Equal(recorded.Statement, JsonNode.Parse(html.Scripts[0].TextContent)!["claimReviewed"]!.GetValue<string>());
        Assert.Equal(recorded.Statement, html.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public void a_source_whose_address_is_not_a_web_address_is_shown_as_text_never_linked()
    {
        var documents = new Dictionary<string, SourceDocument>(Documents) { ["cnn-2023"] = Documents["cnn-2023"] with { Url = "javascript:alert(1)" } };

        var html = Parse(Page(Claim(Verdict("why")), documents));

        Assert.DoesNotContain(html.QuerySelectorAll("a[href]"), a => !a.GetAttribute("href")!.StartsWith("https://", StringComparison.Ordinal));
        Assert.Contains("China's top diplomat vows to strengthen ties", html.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void a_retracted_claim_keeps_its_page_marked_withdrawn_with_the_reason_and_without_markup()
    {
        var html = Parse(Page(Claim(Verdict("why"), new ClaimRetracted("trade-total", "Recorded twice; see trade-total-2022.", "Mei Lin", T0.AddDays(3)))));

        Assert.Contains("Withdrawn", html.QuerySelector("#withdrawn")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Recorded twice; see trade-total-2022.", html.QuerySelector(".withdrawn")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Verdict: Mostly false", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.Scripts);
    }

    [Fact]
    public void an_unrated_claim_has_a_page_that_says_so_and_no_markup()
    {
        var html = Parse(Page(Claim()));

        Assert.Contains("Not yet rated", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.Scripts);
    }

    [Fact]
    public void an_inferred_date_is_shown_as_the_desks_estimate_with_its_reason()
    {
        var documents = new Dictionary<string, SourceDocument>(Documents) { ["cnn-2023"] = Documents["cnn-2023"] with { DateInference = "The text reports the visit 'on Tuesday'." } };

        var text = Parse(Page(Claim(Verdict("why")), documents)).Body!.TextContent;

        Assert.Contains("undated; the desk estimates 22 February 2023 (The text reports the visit 'on Tuesday'.)", text, StringComparison.Ordinal);
    }
}
