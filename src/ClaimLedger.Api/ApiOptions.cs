namespace ClaimLedger.Api;

/// <param name="OpenReads">Let requests without a key read claims and documents; writes always need a key.</param>
/// <param name="Publisher">The organisation named as author of published ClaimReview markup.</param>
/// <param name="PublicUrl">Where readers reach the server: the base of review pages and of links in ClaimReview markup.</param>
/// <param name="PublisherUrl">The reviewing organisation's own site, named in ClaimReview markup; defaults to <paramref name="PublicUrl"/>.</param>
public sealed record ApiOptions(
    bool OpenReads = false, string Publisher = Publishing.ReviewPublishing.DefaultOrganizationName, string PublicUrl = "http://127.0.0.1:5080",
    long MaxBodyBytes = 1_048_576, string? PublisherUrl = null)
{
    /// <summary>Checked when the server is built, so a wrong setting stops it at startup with the setting's name.</summary>
    public Publishing.ReviewPublishing ReviewPublishing() => Publishing.ReviewPublishing.From(PublicUrl, Publisher, PublisherUrl);
}
