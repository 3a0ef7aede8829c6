using ClaimLedger.Claims;
using ClaimLedger.Documents;
using Marten;

namespace ClaimLedger.Publishing;

/// <summary>What a published review says about the documents behind a claim: which are appearances of the claim, which are evidence.</summary>
public static class ReviewDocuments
{
    /// <summary>A span the review rests on, and what it is cited for ("Where the claim appeared", "Evidence for the verdict").</summary>
    public sealed record Cited(ClaimSource Span, string Role);

    /// <summary>
    /// Every span the review rests on: the claim's appearance, attached sources, and the evidence of its findings, its
    /// attribution check and its verdicts.
    /// </summary>
    public static IReadOnlyList<Cited> Spans(Claim claim)
    {
        var spans = new List<Cited> { new(claim.Appearance, "Where the claim appeared") };
        spans.AddRange(claim.Sources.Select(s => new Cited(s.Source, s.Stance switch
        {
            Stance.Supports => s.Corroborates ? "Corroborates the claim" : "Supports the claim",
            Stance.Contradicts => "Contradicts the claim",
            _ => "Mentions the claim",
        })));
        spans.AddRange(claim.Findings.SelectMany(f => f.Evidence.Select(e => new Cited(e, $"Evidence for the finding on {f.Field}"))));
        if (claim.Attribution is { } attribution)
        {
            spans.AddRange(attribution.Evidence.Select(e => new Cited(e, "Evidence for the attribution check")));
        }

        spans.AddRange(claim.EarlierVerdicts.SelectMany(v => v.Evidence.Select(e => new Cited(e, "Evidence for an earlier verdict"))));
        if (claim.Verdict is { } verdict)
        {
            spans.AddRange(verdict.Evidence.Select(e => new Cited(e, "Evidence for the verdict")));
        }

        return spans;
    }

    public static async Task<IReadOnlyDictionary<string, SourceDocument>> LoadAsync(IDocumentStore store, IEnumerable<Claim> claims, CancellationToken cancellationToken)
    {
        var ids = claims.SelectMany(c => Spans(c).Select(s => s.Span.DocumentId)).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<string, SourceDocument>();
        }

        await using var session = store.QuerySession();
        return (await session.LoadManyAsync<SourceDocument>(cancellationToken, ids)).ToDictionary(d => d.Id);
    }

    /// <summary>
    /// Where the claim itself was published: its own appearance, and articles attached as supporting it (they print the
    /// same claim). Evidence documents, cited sources and articles that only mention or contradict it are not appearances.
    /// </summary>
    public static IReadOnlyList<ClaimSource> Appearances(Claim claim, IReadOnlyDictionary<string, SourceDocument> documents) =>
    [
        claim.Appearance,
        .. claim.Sources
            .Where(s => s.Stance == Stance.Supports && s.Source.DocumentId != claim.Appearance.DocumentId
                && documents.GetValueOrDefault(s.Source.DocumentId)?.Kind == DocumentKind.Article)
            .Select(s => s.Source)
            .DistinctBy(s => s.DocumentId),
    ];

    /// <summary>The URL when it is an absolute http or https address, the only kind a published page links to.</summary>
    public static string? WebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;
}
