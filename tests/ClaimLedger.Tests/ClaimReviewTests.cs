using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Publishing;
using static ClaimLedger.Tests.Given;

namespace ClaimLedger.Tests;

public class ClaimReviewTests
{
    private static readonly Dictionary<string, SourceDocument> Documents = new()
    {
        ["cnn-2023"] = new("cnn-2023", "CNN", "China's top diplomat vows to strengthen ties", new DateOnly(2023, 2, 22), "https://example.org/cnn", "en", DocumentKind.Article, "text", "h", "a", T0),
        ["gt-2018"] = new("gt-2018", "Global Times", "Western pressure brings China and Russia closer", new DateOnly(2018, 4, 2), null, "en", DocumentKind.Article, "text", "h", "a", T0),
    };

    private static JsonObject Review(Rating rating) => ClaimReviews.Build(
        Claim(new ClaimCorroborated("trade-total", GlobalTimes(), null, "a", T0.AddDays(1)),
              new VerdictIssued("trade-total", rating, "why", [], null, "Mei Lin", new DateTimeOffset(2026, 10, 14, 9, 30, 0, TimeSpan.Zero))),
        Documents, "Example Fact Desk", "https://factcheck.example/");

    [Theory]
    [InlineData(Rating.True, 5, "True")]
    [InlineData(Rating.MostlyTrue, 4, "Mostly true")]
    [InlineData(Rating.HalfTrue, 3, "Half true")]
    [InlineData(Rating.MostlyFalse, 2, "Mostly false")]
    [InlineData(Rating.False, 1, "False")]
    public void each_rating_is_published_with_its_number_on_a_one_to_five_scale_and_its_label(Rating rating, int value, string label)
    {
        var reviewRating = Review(rating)["reviewRating"]!;

        Assert.Equal(value, reviewRating["ratingValue"]!.GetValue<int>());
        Assert.Equal(label, reviewRating["alternateName"]!.GetValue<string>());
        Assert.Equal(1, reviewRating["worstRating"]!.GetValue<int>());
        Assert.Equal(5, reviewRating["bestRating"]!.GetValue<int>());
    }

    [Fact]
    public void unverifiable_has_a_name_but_no_number()
    {
        var reviewRating = Review(Rating.Unverifiable)["reviewRating"]!.AsObject();

        Assert.False(reviewRating.ContainsKey("ratingValue"));
        Assert.Equal("Unverifiable", reviewRating["alternateName"]!.GetValue<string>());
    }

    [Fact]
    public void the_review_names_the_claim_its_appearances_the_publisher_and_where_it_lives()
    {
        var review = Review(Rating.False);
        var item = review["itemReviewed"]!;

        Assert.Equal("https://schema.org", review["@context"]!.GetValue<string>());
        Assert.Equal("ClaimReview", review["@type"]!.GetValue<string>());
        Assert.Equal("Trade hit 1.28 trillion yuan in 2022", review["claimReviewed"]!.GetValue<string>());
        Assert.Equal("https://factcheck.example/claims/trade-total", review["url"]!.GetValue<string>());
        Assert.Equal("Example Fact Desk", review["author"]!["name"]!.GetValue<string>());
        Assert.Equal("2026-10-14", review["datePublished"]!.GetValue<string>());
        Assert.Equal("Claim", item["@type"]!.GetValue<string>());
        Assert.Equal("CNN", item["author"]!["name"]!.GetValue<string>());
        Assert.Equal("2023-02-22", item["datePublished"]!.GetValue<string>());
        Assert.Equal("China's top diplomat vows to strengthen ties", item["firstAppearance"]!["headline"]!.GetValue<string>());
        Assert.Equal("https://example.org/cnn", item["firstAppearance"]!["url"]!.GetValue<string>());
        Assert.Equal(["CNN", "Global Times"], item["appearance"]!.AsArray().Select(a => a!["author"]!["name"]!.GetValue<string>()));
    }
}
