namespace ClaimLedger.Matching;

/// <summary>
/// The text a review's embedding is made from: the claim it checked followed by the fact-check's title, which often
/// names what the claim leaves implicit. On the benchmark's train queries this beat the claim alone and matched two
/// separate vectors (claim, title) within 0.01 MAP@5 at half the embedding cost (docs/matching.md).
/// </summary>
public static class MatchText
{
    public static string Of(ReferenceReview review) =>
        string.IsNullOrWhiteSpace(review.Headline) ? review.ClaimReviewed : $"{review.ClaimReviewed} {review.Headline}";
}
