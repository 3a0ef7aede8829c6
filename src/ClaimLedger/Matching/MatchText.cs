namespace ClaimLedger.Matching;

/// <summary>The text of a review that its embedding is made from.</summary>
public static class MatchText
{
    public static string Of(ReferenceReview review) => review.ClaimReviewed;
}
