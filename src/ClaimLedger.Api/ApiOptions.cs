namespace ClaimLedger.Api;

/// <param name="OpenReads">Let requests without a key read claims and documents; writes always need a key.</param>
/// <param name="Publisher">The organisation named as author of published ClaimReview markup.</param>
/// <param name="PublicUrl">Where the server is reached, for links in ClaimReview markup.</param>
public sealed record ApiOptions(bool OpenReads = false, string Publisher = "ClaimLedger fact-check desk", string PublicUrl = "http://127.0.0.1:5080", long MaxBodyBytes = 1_048_576);
