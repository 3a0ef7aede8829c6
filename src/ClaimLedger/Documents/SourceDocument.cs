using System.Security.Cryptography;
using System.Text;

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
