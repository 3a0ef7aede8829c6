using System.Text;
using ClaimLedger.Matching;

namespace ClaimLedger.Tests;

public class ClaimReviewFeedTests
{
    private const string Good = """{"@type":"ClaimReview","claimReviewed":"The moon is made of cheese.","url":"https://checks.example/moon","identifier":"moon-1","headline":"Is the moon cheese?","author":{"@type":"Organization","name":"Example Checks"},"datePublished":"2024-05-01","reviewRating":{"@type":"Rating","ratingValue":1,"bestRating":5,"worstRating":1,"alternateName":"False"},"itemReviewed":{"@type":"Claim","author":{"@type":"Person","name":"A. Blogger"}}}""";

    private static (IReadOnlyList<ReferenceReview> Reviews, IReadOnlyList<ReviewProblem> Problems) Read(string text) =>
        ClaimReviewFeed.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void a_single_review_keeps_its_claim_rating_publisher_and_identifier()
    {
        var (reviews, problems) = Read(Good);

        Assert.Empty(problems);
        var review = Assert.Single(reviews);
        Assert.Equal(("moon-1", "The moon is made of cheese.", "False", 1m, "Example Checks", "A. Blogger", "Is the moon cheese?"),
            (review.ResultId, review.ClaimReviewed, review.Rating, review.RatingValue, review.Publisher, review.Claimant, review.Headline));
    }

    [Fact]
    public void an_array_an_at_graph_a_data_feed_and_json_lines_all_read_the_same_review()
    {
        string[] shapes =
        [
            $"[{Good}]",
            $$"""{"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"Example Checks"},{{Good}}]}""",
            $$"""{"@type":"DataFeed","dataFeedElement":[{"@type":"DataFeedItem","item":[{{Good}}]}]}""",
            $"{Good}\n",
        ];

        foreach (var shape in shapes)
        {
            var (reviews, problems) = Read(shape);
            Assert.Empty(problems);
            Assert.Equal("moon-1", Assert.Single(reviews).ResultId);
        }
    }

    [Fact]
    public void a_review_without_an_identifier_is_named_by_its_url()
    {
        var (reviews, _) = Read(Good.Replace("\"identifier\":\"moon-1\",", "", StringComparison.Ordinal));

        Assert.Equal("https://checks.example/moon", Assert.Single(reviews).ResultId);
    }

    [Fact]
    public void each_bad_item_is_reported_with_its_line_and_field_and_no_review_is_returned_for_it()
    {
        var lines = string.Join('\n',
            Good,
            """{"@type":"ClaimReview","url":"https://checks.example/a"}""",
            """{"@type":"ClaimReview","claimReviewed":"x","url":"ftp://checks.example/b"}""",
            """{"@type":"ClaimReview","claimReviewed":"y"}""",
            """{"@type":"ClaimReview","claimReviewed":"z","identifier":"z","reviewRating":{"ratingValue":"high"}}""",
            """{"@type":"Article","headline":"not a review"}""",
            """{"@type":"ClaimReview","claimReviewed":"hidden\u202Etext","identifier":"h"}""");

        var (reviews, problems) = Read(lines);

        Assert.Single(reviews);
        Assert.Equal(
            [
                ("line 2", "claimReviewed"), ("line 3", "url"), ("line 4", "url"), ("line 5", "reviewRating.ratingValue"),
                ("line 6", "@type"), ("line 7", "claimReviewed"),
            ],
            problems.Select(p => (p.Position, p.Field)));
    }

    [Fact]
    public void malformed_json_is_reported_with_the_line_where_it_breaks()
    {
        var (reviews, problems) = Read($"{Good}\n{Good}\n{{\"@type\": \"ClaimReview\",\n");

        Assert.Empty(reviews);
        var problem = Assert.Single(problems);
        Assert.Equal("(file)", problem.Field);
        Assert.StartsWith("line 3", problem.Position, StringComparison.Ordinal);
    }

    [Fact]
    public void an_empty_file_is_a_problem_not_an_empty_import()
    {
        Assert.Equal("(file)", Assert.Single(Read("  \n").Problems).Field);
    }

    [Fact]
    public void the_content_hash_changes_with_the_content_and_only_with_it()
    {
        var (first, _) = Read(Good);
        var (again, _) = Read(Good);
        var (changed, _) = Read(Good.Replace("\"False\"", "\"Mostly false\"", StringComparison.Ordinal));

        Assert.Equal(first[0].ContentHash(), again[0].ContentHash());
        Assert.NotEqual(first[0].ContentHash(), changed[0].ContentHash());
    }
}
