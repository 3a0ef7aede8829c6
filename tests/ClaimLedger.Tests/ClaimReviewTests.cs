using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using static ClaimLedger.Tests.Given;

namespace ClaimLedger.Tests;

public class ClaimReviewTests
{
    private static readonly ReviewPublishing Desk = ReviewPublishing.From("https://factcheck.example/", "Example Fact Desk", "https://desk.example/about");
    private static readonly DateTimeOffset Rated = new(2026, 10, 14, 9, 30, 0, TimeSpan.Zero);

    private static SourceDocument Document(string id, string publisher, string title, DateOnly? on, string? url, DocumentKind kind = DocumentKind.Article, string? inferred = null) =>
        new(id, publisher, title, on, url, "en", kind, "text", "h", "a", T0) { DateInference = inferred };

    private static readonly Dictionary<string, SourceDocument> Documents = new()
    {
        ["cnn-2023"] = Document("cnn-2023", "CNN", "China's top diplomat vows to strengthen ties", new DateOnly(2023, 2, 22), "https://example.org/cnn"),
        ["gt-2018"] = Document("gt-2018", "Global Times", "Western pressure brings China and Russia closer", new DateOnly(2018, 4, 2), null),
        ["desk-note"] = Document("desk-note", "ClaimLedger research desk", "Trade figures", new DateOnly(2023, 1, 13), "https://desk.example/notes/trade", DocumentKind.Evidence),
    };

    private static VerdictIssued Verdict(Rating rating, string rationale = "why") => new("trade-total", rating, rationale, [DeskNote()], null, "Mei Lin", Rated);

    private static JsonObject Review(Rating rating, IReadOnlyDictionary<string, SourceDocument>? documents = null) =>
        ClaimReviews.Build(Claim(new ClaimCorroborated("trade-total", GlobalTimes(), null, "a", T0.AddDays(1)), Verdict(rating)), documents ?? Documents, Desk);

    [Theory]
    [InlineData(Rating.True, 5, "True")]
    [InlineData(Rating.MostlyTrue, 4, "Mostly true")]
    [InlineData(Rating.HalfTrue, 3, "Half true")]
    [InlineData(Rating.MostlyFalse, 2, "Mostly false")]
    [InlineData(Rating.False, 1, "False")]
    public void each_rating_on_the_scale_is_published_with_its_number_its_bounds_and_its_label(Rating rating, int value, string label)
    {
        var reviewRating = Review(rating)["reviewRating"]!;

        Assert.Equal(value, reviewRating["ratingValue"]!.GetValue<int>());
        Assert.Equal(label, reviewRating["alternateName"]!.GetValue<string>());
        Assert.Equal(1, reviewRating["worstRating"]!.GetValue<int>());
        Assert.Equal(5, reviewRating["bestRating"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(Rating.Unverifiable, "Unverifiable")]
    [InlineData(Rating.Opinion, "Opinion (not rated)")]
    public void a_rating_outside_the_scale_gives_its_name_and_no_number(Rating rating, string label)
    {
        var reviewRating = Review(rating)["reviewRating"]!.AsObject();

        Assert.Equal(["@type", "alternateName", "ratingExplanation"], reviewRating.Select(p => p.Key));
        Assert.Equal(label, reviewRating["alternateName"]!.GetValue<string>());
    }

    [Fact]
    public void the_review_lives_on_its_public_page_and_names_the_configured_organisation()
    {
        var review = Review(Rating.False);

        Assert.Equal("https://schema.org", review["@context"]!.GetValue<string>());
        Assert.Equal("ClaimReview", review["@type"]!.GetValue<string>());
        Assert.Equal("Trade hit 1.28 trillion yuan in 2022", review["claimReviewed"]!.GetValue<string>());
        Assert.Equal("https://factcheck.example/reviews/trade-total", review["url"]!.GetValue<string>());
        Assert.Equal("Example Fact Desk", review["author"]!["name"]!.GetValue<string>());
        Assert.Equal("https://desk.example/about", review["author"]!["url"]!.GetValue<string>());
        Assert.Equal("2026-10-14", review["datePublished"]!.GetValue<string>());
    }

    [Fact]
    public void the_claims_author_is_the_publisher_that_printed_it_and_its_appearances_are_articles_that_print_it_never_evidence()
    {
        var item = Review(Rating.False)["itemReviewed"]!;

        Assert.Equal("Claim", item["@type"]!.GetValue<string>());
        Assert.Equal("Organization", item["author"]!["@type"]!.GetValue<string>());
        Assert.Equal("CNN", item["author"]!["name"]!.GetValue<string>());
        Assert.Equal("2023-02-22", item["datePublished"]!.GetValue<string>());
        Assert.Equal(["CNN", "Global Times"], item["appearance"]!.AsArray().Select(a => a!["publisher"]!["name"]!.GetValue<string>()));
        Assert.Equal("https://example.org/cnn", item["appearance"]![0]!["url"]!.GetValue<string>());
        Assert.DoesNotContain("desk.example/notes", item.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void an_evidence_document_attached_as_supporting_is_not_an_appearance()
    {
        var claim = Claim(new SourceAttached("trade-total", DeskNote(), Stance.Supports, null, "a", T0), Verdict(Rating.True));

        var appearances = ClaimReviews.Build(claim, Documents, Desk)["itemReviewed"]!["appearance"]!.AsArray();

        Assert.Equal(["cnn-2023"], ReviewDocuments.Appearances(claim, Documents).Select(s => s.DocumentId));
        Assert.Single(appearances);
    }

    [Fact]
    public void a_quote_is_authored_by_its_speaker()
    {
        var quote = new ClaimRecorded("trade-total", "Wang Yi said ties are solid", new QuoteValue("Wang Yi", "solid as a rock", null), Cnn(), "Mei Lin", T0);
        var claim = ClaimEvolution.Evolve(ClaimEvolution.Evolve(null, quote), Verdict(Rating.True))!;

        var author = ClaimReviews.Build(claim, Documents, Desk)["itemReviewed"]!["author"]!;

        Assert.Equal("Person", author["@type"]!.GetValue<string>());
        Assert.Equal("Wang Yi", author["name"]!.GetValue<string>());
    }

    [Fact]
    public void an_inferred_publication_date_is_not_published_as_the_documents_date()
    {
        var documents = new Dictionary<string, SourceDocument>(Documents)
        {
            ["cnn-2023"] = Documents["cnn-2023"] with { DateInference = "The text gives no date; the visit it reports as news was on 21 February." },
        };

        var item = Review(Rating.False, documents)["itemReviewed"]!.AsObject();

        Assert.False(item.ContainsKey("datePublished"));
        Assert.False(item["appearance"]![0]!.AsObject().ContainsKey("datePublished"));
        Assert.Equal("2018-04-02", item["appearance"]![1]!["datePublished"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("factcheck.example", "public URL")]
    [InlineData("ftp://factcheck.example", "public URL")]
    [InlineData("javascript:alert(1)", "public URL")]
    [InlineData("https://factcheck.example/?page=1", "public URL")]
    [InlineData("", "public URL")]
    public void a_public_url_that_is_not_an_absolute_web_address_is_refused_naming_the_setting(string url, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReviewPublishing.From(url, "Desk", null));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("--public-url", error.Message, StringComparison.Ordinal);
        Assert.Contains("CLAIMLEDGER_PUBLIC_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_organisations_url_is_checked_too_and_defaults_to_the_public_url()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReviewPublishing.From("https://factcheck.example", " ", "not a url"));

        Assert.Contains("--publisher-url", error.Message, StringComparison.Ordinal);
        Assert.Contains("--publisher", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("https://factcheck.example/"), ReviewPublishing.From("https://factcheck.example", "Desk", null).OrganizationUrl);
    }
}
