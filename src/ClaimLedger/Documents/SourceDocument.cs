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

/// <summary>Checks source references against the registered documents and resolves their publishers.</summary>
public static class SourceReferences
{
    public static Task<IReadOnlyList<ClaimSource>> ResolveAsync(
        IQuerySession session, string field, IReadOnlyList<SourceRef> references, CancellationToken ct) =>
        ResolveAsync(session, references.Select((r, i) => ($"{field}[{i}]", r)).ToArray(), ct);

    public static async Task<IReadOnlyList<ClaimSource>> ResolveAsync(
        IQuerySession session, IReadOnlyList<(string Field, SourceRef Ref)> references, CancellationToken ct)
    {
        if (references.Count == 0)
        {
            return [];
        }

        var ids = references.Select(r => r.Ref.DocumentId).Distinct().ToArray();
        var documents = (await session.LoadManyAsync<SourceDocument>(ct, ids)).ToDictionary(d => d.Id);
        var errors = new List<FieldError>();
        var resolved = new List<ClaimSource>(references.Count);
        foreach (var (field, reference) in references)
        {
            if (!documents.TryGetValue(reference.DocumentId, out var document))
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
