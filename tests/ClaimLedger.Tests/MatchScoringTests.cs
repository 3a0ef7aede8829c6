using ClaimLedger.Matching;

namespace ClaimLedger.Tests;

public class MatchScoringTests
{
    private static readonly float[] Vector = [.. Enumerable.Repeat(1f / MathF.Sqrt(SentenceEmbedder.Dimensions), SentenceEmbedder.Dimensions)];
    private static readonly Dictionary<string, int> Words = new() { ["fri"] = 5, ["mcdonald"] = 5 };

    private static MatchIndex.Snapshot TwoReviewsSayingTheSame(DateOnly? first, DateOnly? second) => MatchIndex.Snapshot.Build(
    [
        new(MatchKind.Review, "a-years-earlier", Vector, Words, 10, first),
        new(MatchKind.Review, "b-days-after", Vector, Words, 10, second),
    ]);

    [Fact]
    public void of_two_reviews_that_say_the_same_the_one_published_near_a_dated_post_ranks_first()
    {
        var index = TwoReviewsSayingTheSame(new DateOnly(2009, 1, 5), new DateOnly(2016, 3, 20));

        var ranked = MatchScoring.Rank(index, Vector, new Dictionary<string, int> { ["fri"] = 1 }, new DateOnly(2016, 3, 18), 2, _ => true);

        Assert.Equal(["b-days-after", "a-years-earlier"], ranked.Select(r => index.Entries[r.Entry].Key));
    }

    [Fact]
    public void without_a_date_on_the_query_dates_do_not_count()
    {
        var index = TwoReviewsSayingTheSame(new DateOnly(2009, 1, 5), new DateOnly(2016, 3, 20));

        var ranked = MatchScoring.Rank(index, Vector, new Dictionary<string, int> { ["fri"] = 1 }, null, 2, _ => true);

        Assert.Equal(ranked[0].Score, ranked[1].Score);
    }
}
