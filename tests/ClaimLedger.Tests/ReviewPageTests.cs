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
        ["customs-2023"] = Document("customs-2023", "General Administration of Customs", "China-Russia trade, 2022", "https://customs.example/release", DocumentKind.Cited)
            with { RetrievedOn = new DateOnly(2026, 9, 2), ArchiveUrl = "https://archive.example/customs-release" },
    };

    private static Claim Quote(params object[] events)
    {
        var recorded = new ClaimRecorded("trade-total", "Wang Yi said ties are solid as a rock", new QuoteValue("Wang Yi", "solid as a rock", null), Cnn(), "Mei Lin", T0);
        return events.Aggregate(ClaimEvolution.Evolve(null, recorded)!, (claim, e) => ClaimEvolution.Evolve(claim, e)!);
    }

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
        Assert.Equal(["CNN", "Global Times", "Customs office"], html.QuerySelectorAll("ol.sources > li").Select(li => Documents.Values.Single(d => li.TextContent.Contains(d.Publisher, StringComparison.Ordinal)).Publisher));
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
    public void an_unrated_claim_has_a_page_that_says_so_with_no_markup_and_not_for_search_engines()
    {
        var html = Parse(Page(Claim()));

        Assert.Contains("Not yet rated", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.Scripts);
        Assert.Equal("noindex", html.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
    }

    [Fact]
    public void an_inferred_date_is_shown_as_the_desks_estimate_with_its_reason()
    {
        var documents = new Dictionary<string, SourceDocument>(Documents) { ["cnn-2023"] = Documents["cnn-2023"] with { DateInference = "The text reports the visit 'on Tuesday'." } };

        var text = Parse(Page(Claim(Verdict("why")), documents)).Body!.TextContent;

        Assert.Contains("undated; the desk estimates 22 February 2023 (The text reports the visit 'on Tuesday'.)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void each_field_shows_what_was_claimed_beside_what_the_evidence_established()
    {
        var claim = Claim(
            new FindingRecorded("trade-total", "amount", "1280000000000", "1900000000000", "Customs give 1.9 trillion.", [Customs()], "Priya Raman", T0.AddDays(1)),
            new FindingRecorded("trade-total", "period", "2022", "2022", "The year is right.", [Customs()], "Priya Raman", T0.AddDays(1)),
            Verdict("why"));

        var rows = Parse(Page(claim)).QuerySelectorAll("table.findings tbody tr").ToDictionary(r => r.QuerySelector("th")!.TextContent, r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray());

        Assert.Equal("1280000000000", rows["amount"][0]);
        Assert.StartsWith("1900000000000", rows["amount"][1], StringComparison.Ordinal);
        Assert.Contains("differs from the claim", rows["amount"][1], StringComparison.Ordinal);
        Assert.Contains("Customs give 1.9 trillion.", rows["amount"][2], StringComparison.Ordinal);
        Assert.Equal(["2022", "2022 (confirmed)"], rows["period"][..2]);
        Assert.Equal("not examined", rows["unit"][1]);
    }

    [Fact]
    public void a_quote_shows_its_attribution_check_apart_from_the_verdict_with_the_sources_tried()
    {
        var claim = Quote(new AttributionChecked("trade-total", Attribution.NotFound, "No transcript has these words.", [], ["Kremlin transcripts, 21-22 Feb 2023", "Chinese foreign ministry readouts"], "Priya Raman", T0.AddDays(1)));

        var section = Parse(Page(claim)).QuerySelector("section[aria-labelledby=attribution]")!;

        Assert.Contains("did Wang Yi say it?", section.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not found.", section.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Kremlin transcripts, 21-22 Feb 2023", "Chinese foreign ministry readouts"], section.QuerySelectorAll("ul.tried li").Select(li => li.TextContent));
    }

    [Fact]
    public void an_opinion_is_shown_as_not_rated_and_published_with_its_name_only()
    {
        var claim = Quote(
            new AttributionChecked("trade-total", Attribution.Accurate, "The ministry's readout has it.", [Customs()], [], "Priya Raman", T0.AddDays(1)),
            new VerdictIssued("trade-total", Rating.Opinion, "A judgement about a relationship, not a checkable fact.", [], null, "Mei Lin", T0.AddDays(2)));

        var page = Page(claim);
        var rating = page.Review!["reviewRating"]!.AsObject();

        Assert.Equal("Opinion (not rated)", rating["alternateName"]!.GetValue<string>());
        Assert.False(rating.ContainsKey("ratingValue") || rating.ContainsKey("bestRating") || rating.ContainsKey("worstRating"));
        Assert.Contains("Not rated", Parse(page).QuerySelector(".scale")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unverifiable_verdict_lists_the_sources_tried()
    {
        var claim = Claim(new VerdictIssued("trade-total", Rating.Unverifiable, "No figure for the month was published.", [], null, "Mei Lin", T0.AddDays(2), ["Customs monthly releases, 2022"]));

        var verdict = Parse(Page(claim)).QuerySelector("#verdict")!.ParentElement!;

        Assert.Equal(["Customs monthly releases, 2022"], verdict.QuerySelectorAll("ul.tried li").Select(li => li.TextContent));
    }

    [Fact]
    public void a_cited_source_shows_its_publisher_title_date_address_retrieval_archive_and_the_fact_it_supports()
    {
        var claim = Claim(new VerdictIssued("trade-total", Rating.False, "Customs give 1.9 trillion.", [Customs() with { Excerpt = "Trade in 2022 was 1.9 trillion yuan." }], null, "Mei Lin", T0.AddDays(2)));

        var source = Parse(Page(claim)).QuerySelectorAll("ol.sources > li").Single(li => li.TextContent.Contains("General Administration of Customs", StringComparison.Ordinal));

        Assert.Contains("China-Russia trade, 2022", source.TextContent, StringComparison.Ordinal);
        Assert.Contains("22 February 2023", source.TextContent, StringComparison.Ordinal);
        Assert.Contains("Retrieved 2 September 2026", source.TextContent, StringComparison.Ordinal);
        Assert.Equal(["https://customs.example/release", "https://customs.example/release", "https://archive.example/customs-release"], source.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Contains("Evidence for the verdict: “Trade in 2022 was 1.9 trillion yuan.”", source.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void a_copy_attributed_to_another_publisher_is_credited_as_a_copy_never_as_that_publishers_text()
    {
        var documents = new Dictionary<string, SourceDocument>(Documents) { ["cnn-2023"] = Documents["cnn-2023"] with { Publisher = "Unknown publisher", AttributedTo = "CNN" } };
        var claim = Claim(Verdict("why"));

        var page = Page(claim, documents);
        var item = page.Review!["itemReviewed"]!;

        Assert.Equal("Unknown publisher", item["author"]!["name"]!.GetValue<string>());
        Assert.Equal("Publisher of a reworded copy attributed to CNN", item["author"]!["description"]!.GetValue<string>());
        Assert.Equal("Attributed to CNN", item["appearance"]![0]!["creditText"]!.GetValue<string>());
        Assert.Contains("a copy attributed to CNN, not CNN's own text", Parse(page).QuerySelector("ol.sources")!.TextContent, StringComparison.Ordinal);
    }
}
