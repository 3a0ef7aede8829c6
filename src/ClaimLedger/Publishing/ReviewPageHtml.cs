using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ClaimLedger.Claims;
using ClaimLedger.Documents;

namespace ClaimLedger.Publishing;

/// <summary>
/// The public review page as HTML: the claim as published, the verdict and its rationale, and every source with its
/// publisher, title, date and address, with the ClaimReview markup embedded the way fact-check articles carry it.
/// Every recorded value is encoded: text as HTML, the markup as JSON whose <c>&lt;</c> cannot close its script element.
/// </summary>
public static class ReviewPageHtml
{
    private static readonly JsonSerializerOptions Markup = new()
    {
        // Escapes <, >, & and quotes whatever the ranges, so "</script>" in a rationale stays inside the data block.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = true,
    };

    public static string Render(GetReviewPage.Page page)
    {
        var claim = page.Claim;
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>Fact check: {E(claim.Statement)} | {E(page.Publishing.OrganizationName)}</title>\n")
            .Append(CultureInfo.InvariantCulture, $"<link rel=\"canonical\" href=\"{E(page.Url)}\">\n")
            .Append("<link rel=\"stylesheet\" href=\"/review.css\">\n");
        if (claim.Verdict is null)
        {
            // A check still in progress is readable by anyone who has the link, but not offered to search engines.
            html.Append("<meta name=\"robots\" content=\"noindex\">\n");
        }

        if (page.Review is { } review)
        {
            html.Append("<script type=\"application/ld+json\">\n").Append(JsonLd(review)).Append("\n</script>\n");
        }

        html.Append("</head>\n<body>\n<main>\n")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"kicker\">Fact check by {Link(page.Publishing.OrganizationUrl.AbsoluteUri, page.Publishing.OrganizationName)}</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>{E(claim.Statement)}</h1>\n");
        Status(html, claim);
        Claimed(html, claim, page.Documents);
        Attribution(html, claim);
        Verdict(html, claim);
        Sources(html, claim, page.Documents);
        html.Append(CultureInfo.InvariantCulture, $"<footer>\n<p>Published by {Link(page.Publishing.OrganizationUrl.AbsoluteUri, page.Publishing.OrganizationName)} at {Link(page.Url, page.Url)}. ")
            .Append(CultureInfo.InvariantCulture, $"From the ledger's record of claim <code>{E(claim.Id)}</code>, version {claim.Version}, last changed {Day(claim.LastChangedAt)}.</p>\n</footer>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The markup for a script data block; throws rather than emit anything that could end the element early.</summary>
    public static string JsonLd(System.Text.Json.Nodes.JsonObject review)
    {
        var json = review.ToJsonString(Markup);
        return json.Contains('<', StringComparison.Ordinal)
            ? throw new InvalidOperationException("ClaimReview markup must not contain '<' inside a script element.")
            : json;
    }

    private static void Status(StringBuilder html, Claim claim)
    {
        if (claim.IsRetracted)
        {
            html.Append("<section class=\"withdrawn\" aria-labelledby=\"withdrawn\">\n<h2 id=\"withdrawn\">Withdrawn</h2>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>This review was withdrawn on {Day(claim.LastChangedAt)}. Reason: {E(claim.RetractionReason)}</p>\n")
                .Append("<p>It is kept here, as it stood, so that anyone who relied on it can see what changed.</p>\n</section>\n");
        }
        else if (claim.Verdict is null)
        {
            html.Append("<p class=\"pending\">Not yet rated: this claim is recorded and being checked. No verdict has been issued.</p>\n");
        }
    }

    /// <summary>The claim as printed, then each field as claimed beside what the evidence established (the statement first).</summary>
    private static void Claimed(StringBuilder html, Claim claim, IReadOnlyDictionary<string, SourceDocument> documents)
    {
        var appearance = claim.Appearance;
        html.Append("<section aria-labelledby=\"claimed\">\n<h2 id=\"claimed\">What was claimed, and what the evidence established</h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<blockquote class=\"excerpt\">{E(appearance.Excerpt)}</blockquote>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>As printed in {Work(documents.GetValueOrDefault(appearance.DocumentId), appearance)}.</p>\n");
        if (claim.AmendmentCount > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"amended\">Record amended: the ledger misread the article and corrected its own record {claim.AmendmentCount} time(s); what is shown is what the article prints.</p>\n");
        }

        html.Append("<table class=\"findings\">\n<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Claimed</th><th scope=\"col\">Established</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>\n");
        var fields = claim.Value.Fields().Where(f => f.Value is not null).Select(f => f.Key)
            .Concat(claim.Established.Select(f => f.Field)).Distinct().OrderBy(f => f == ClaimFieldNames.Statement ? 0 : 1);
        foreach (var field in fields)
        {
            var finding = claim.Established.FirstOrDefault(f => f.Field == field);
            var established = finding is null
                ? "<td class=\"unexamined\">not examined</td>"
                : finding.Differs ? $"<td class=\"differs\">{E(finding.Established ?? "(none)")} <span class=\"differs-mark\">differs from the claim</span></td>" : $"<td>{E(finding.Established)} (confirmed)</td>";
            var note = finding is null ? "" : $"{E(finding.Note)} <span class=\"byline\">({E(finding.Actor)}, {Day(finding.At)})</span>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(field)}</th><td>{E(claim.Claimed(field))}</td>{established}<td>{note}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>For a quote: whether the words were said, and by whom, apart from whether they are true.</summary>
    private static void Attribution(StringBuilder html, Claim claim)
    {
        if (claim.Value is not QuoteValue quote)
        {
            return;
        }

        html.Append("<section aria-labelledby=\"attribution\">\n<h2 id=\"attribution\">Attribution: did ")
            .Append(E(quote.Speaker)).Append(" say it?</h2>\n");
        if (claim.Attribution is not { } check)
        {
            html.Append("<p>Not checked yet.</p>\n</section>\n");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p><strong class=\"attribution\">{E(Attributions.Label(check.Result))}.</strong> {E(check.Note)}</p>\n");
        SourcesTried(html, check.SourcesTried);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"byline\">Checked by {E(check.Actor)} on {Day(check.At)}.</p>\n</section>\n");
    }

    private static void Verdict(StringBuilder html, Claim claim)
    {
        if (claim.Verdict is not { } verdict)
        {
            return;
        }

        html.Append("<section aria-labelledby=\"verdict\">\n")
            .Append(CultureInfo.InvariantCulture, $"<h2 id=\"verdict\">Verdict: <span class=\"rating\">{E(Ratings.Label(verdict.Rating))}</span></h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"scale\">{E(Scale(verdict.Rating))}</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>{E(verdict.Rationale)}</p>\n");
        SourcesTried(html, verdict.SourcesTried ?? []);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"byline\">Rated by {E(verdict.Actor)} on {Day(verdict.At)}.</p>\n");
        if (claim.EarlierVerdicts.Count > 0)
        {
            html.Append("<h3>Earlier verdicts, superseded</h3>\n<ul>\n");
            foreach (var earlier in claim.EarlierVerdicts)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(Ratings.Label(earlier.Rating))} ({Day(earlier.At)}, {E(earlier.Actor)}): {E(earlier.Rationale)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    private static void SourcesTried(StringBuilder html, IReadOnlyList<string> tried)
    {
        if (tried.Count == 0)
        {
            return;
        }

        html.Append("<p>Sources tried:</p>\n<ul class=\"tried\">\n");
        foreach (var source in tried)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(source)}</li>\n");
        }

        html.Append("</ul>\n");
    }

    /// <summary>Each document once, with everything a reader needs to find it and every passage the review cites from it.</summary>
    private static void Sources(StringBuilder html, Claim claim, IReadOnlyDictionary<string, SourceDocument> documents)
    {
        html.Append("<section aria-labelledby=\"sources\">\n<h2 id=\"sources\">Sources</h2>\n<ol class=\"sources\">\n");
        foreach (var cited in ReviewDocuments.Spans(claim).GroupBy(s => s.Span.DocumentId))
        {
            var document = documents.GetValueOrDefault(cited.Key);
            html.Append(CultureInfo.InvariantCulture, $"<li>{Work(document, cited.First().Span)}");
            if (document?.AttributedTo is { } credited)
            {
                html.Append(CultureInfo.InvariantCulture, $"; a copy attributed to {E(credited)}, not {E(credited)}'s own text");
            }

            if (ReviewDocuments.WebAddress(document?.Url) is { } url)
            {
                html.Append(CultureInfo.InvariantCulture, $"<br><span class=\"url\">{Link(url, url)}</span>");
            }

            if (document?.RetrievedOn is { } retrieved)
            {
                html.Append(CultureInfo.InvariantCulture, $"<br>Retrieved {retrieved.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
            }

            if (ReviewDocuments.WebAddress(document?.ArchiveUrl) is { } archive)
            {
                html.Append(CultureInfo.InvariantCulture, $"<br>Archived copy: <span class=\"url\">{Link(archive, archive)}</span>");
            }

            html.Append("\n<ul class=\"cited\">\n");
            foreach (var (span, role) in cited.DistinctBy(c => (c.Span.Start, c.Span.End, c.Role)))
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"role\">{E(role)}:</span> <span class=\"excerpt\">“{E(span.Excerpt)}”</span></li>\n");
            }

            html.Append("</ul></li>\n");
        }

        html.Append("</ol>\n</section>\n");
    }

    /// <summary>"Publisher, “Title”, date" with the title linked when the document has a web address.</summary>
    private static string Work(SourceDocument? document, ClaimSource span)
    {
        if (document is null)
        {
            return $"{E(span.Publisher)}, document <code>{E(span.DocumentId)}</code>";
        }

        var title = ReviewDocuments.WebAddress(document.Url) is { } url ? Link(url, document.Title) : E(document.Title);
        return $"{E(document.Publisher)}, “{title}”, {Date(document)}";
    }

    private static string Date(SourceDocument document) => document switch
    {
        { PublishedOn: null } => "date not given",
        { PublishedOn: { } on, DateInference: { } how } =>
            $"<span class=\"inferred\">undated; the desk estimates {on.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} ({E(how)})</span>",
        { PublishedOn: { } on } => $"<time datetime=\"{on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\">{on.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}</time>",
    };

    private static string Scale(Rating rating) => Ratings.ScaleValue(rating) is { } value
        ? $"{value} on a scale from {ClaimReviews.WorstRating} (False) to {ClaimReviews.BestRating} (True)."
        : rating == Rating.Opinion
            ? "Not rated: the claim is an opinion, which evidence can neither confirm nor refute."
            : "Unverifiable: the sources tried do not settle the claim, so it is not placed on the True to False scale.";

    /// <summary>A link only to an absolute http or https address; anything else (javascript:, data:) is shown as text.</summary>
    private static string Link(string? href, string text) =>
        ReviewDocuments.WebAddress(href) is { } url ? $"<a href=\"{E(url)}\">{E(text)}</a>" : E(text);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
