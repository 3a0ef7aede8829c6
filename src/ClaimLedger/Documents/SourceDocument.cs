using System.Security.Cryptography;
using System.Text;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using Marten;

namespace ClaimLedger.Documents;

public enum DocumentKind { Article, Evidence }

/// <summary>
/// A registered source: an article or any other evidence. Its text never changes once registered;
/// a revised text is a new document with a new id.
/// </summary>
public sealed record SourceDocument(
    string Id,
    string Publisher,
    string Title,
    DateOnly? PublishedOn,
    string? Url,
    string Language,
    DocumentKind Kind,
    string Text,
    string Sha256,
    string RegisteredBy,
    DateTimeOffset RegisteredAt)
{
    /// <summary>Stored with the document so lists can show it without loading the text.</summary>
    public int Length => Text.Length;

    public static string HashOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Checks source references against the registered documents and resolves their publishers. Documents never change,
/// so each one is loaded once per scope: a whole import, or one CLI command or HTTP request.
/// </summary>
public sealed class SourceReferences(IDocumentStore store)
{
    private readonly Dictionary<string, SourceDocument> _documents = [];

    public async Task<ClaimSource> ResolveOneAsync(string field, SourceRef reference, CancellationToken ct) =>
        (await ResolveAsync([(field, reference)], ct))[0];

    public Task<IReadOnlyList<ClaimSource>> ResolveAsync(string field, IReadOnlyList<SourceRef> references, CancellationToken ct) =>
        ResolveAsync(references.Select((r, i) => ($"{field}[{i}]", r)).ToArray(), ct);

    private async Task<IReadOnlyList<ClaimSource>> ResolveAsync((string Field, SourceRef Ref)[] references, CancellationToken ct)
    {
        var missing = references.Select(r => r.Ref.DocumentId).Where(id => !_documents.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            await using var session = store.QuerySession();
            foreach (var document in await session.LoadManyAsync<SourceDocument>(ct, missing))
            {
                _documents[document.Id] = document;
            }
        }

        var errors = new List<FieldError>();
        var resolved = new List<ClaimSource>(references.Length);
        foreach (var (field, reference) in references)
        {
            if (!_documents.TryGetValue(reference.DocumentId, out var document))
            {
                errors.Add(new($"{field}.document", $"a registered document id; '{reference.DocumentId}' is not registered (see: claimledger documents list)"));
                continue;
            }

            var problem = SpanProblem(document.Text, reference);
            if (problem is not null)
            {
                errors.Add(new(problem.Value.Field is "" ? field : $"{field}.{problem.Value.Field}", problem.Value.Message));
                continue;
            }

            resolved.Add(new ClaimSource(document.Id, document.Publisher, reference.Start, reference.End, reference.Excerpt));
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : resolved;
    }

    /// <summary>Why the reference does not match the text, or null when its excerpt is exactly the text at its span.</summary>
    public static (string Field, string Message)? SpanProblem(string text, SourceRef reference)
    {
        var (start, end) = (reference.Start, reference.End);
        if (start < 0 || end > text.Length || start >= end)
        {
            return ("end", $"a span [start, end) with 0 <= start < end <= {text.Length} (the document's length); got [{start}, {end})");
        }

        if (char.IsLowSurrogate(text[start]) || (end < text.Length && char.IsLowSurrogate(text[end])))
        {
            return ("start", $"a span that does not split a surrogate pair; [{start}, {end}) does");
        }

        var actual = text[start..end];
        if (!string.Equals(actual, reference.Excerpt, StringComparison.Ordinal))
        {
            return ("excerpt", $"the document's text at [{start}, {end}), which is \"{Shorten(actual)}\"; got \"{Shorten(reference.Excerpt)}\"");
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
