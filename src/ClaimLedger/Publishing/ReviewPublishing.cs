namespace ClaimLedger.Publishing;

/// <summary>
/// Where reviews are published and who publishes them. ClaimReview's <c>url</c> must be the page that carries the markup,
/// on the publisher's own domain, so the base URL is the public address readers reach, which behind a proxy is not
/// the address the server listens on.
/// </summary>
/// <param name="PublicBaseUrl">The public address of this server; review pages live at <c>{PublicBaseUrl}/reviews/{claimId}</c>.</param>
/// <param name="OrganizationName">The reviewing organisation, named as the author of every review.</param>
/// <param name="OrganizationUrl">The reviewing organisation's own site.</param>
public sealed record ReviewPublishing(Uri PublicBaseUrl, string OrganizationName, Uri OrganizationUrl)
{
    /// <summary>The names a reader can set these by, quoted in every error so the fix is obvious.</summary>
    public static class Settings
    {
        public const string PublicUrl = "public URL (claimledger serve --public-url, or CLAIMLEDGER_PUBLIC_URL)";
        public const string Publisher = "publisher (--publisher, or CLAIMLEDGER_PUBLISHER)";
        public const string PublisherUrl = "publisher URL (--publisher-url, or CLAIMLEDGER_PUBLISHER_URL)";
    }

    public const string DefaultOrganizationName = "ClaimLedger fact-check desk";

    /// <summary>Checks the configured values once, at startup; the organisation's URL defaults to the public URL.</summary>
    /// <exception cref="InvalidOperationException">A value is missing or is not an absolute http or https URL; the message names the setting.</exception>
    public static ReviewPublishing From(string? publicUrl, string? organizationName, string? organizationUrl)
    {
        var errors = new List<string>();
        var baseUrl = AbsoluteHttp(publicUrl, Settings.PublicUrl, errors);
        var name = organizationName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors.Add($"The {Settings.Publisher} must be the reviewing organisation's name, 1 to 200 characters; got '{organizationName}'.");
        }

        var site = string.IsNullOrWhiteSpace(organizationUrl) ? baseUrl : AbsoluteHttp(organizationUrl, Settings.PublisherUrl, errors);
        return errors.Count == 0
            ? new ReviewPublishing(baseUrl!, name!, site!)
            : throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    }

    public string PageUrl(string claimId) => $"{PublicBaseUrl.AbsoluteUri.TrimEnd('/')}/reviews/{Uri.EscapeDataString(claimId)}";

    public bool IsLoopback => PublicBaseUrl.IsLoopback;

    private static Uri? AbsoluteHttp(string? value, string setting, List<string> errors)
    {
        if (Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri;
        }

        errors.Add($"The {setting} must be an absolute http or https URL without query, fragment or credentials, such as https://factcheck.example.org; got '{value}'.");
        return null;
    }
}
