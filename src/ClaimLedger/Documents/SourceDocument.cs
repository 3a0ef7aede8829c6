using System.Security.Cryptography;
using System.Text;

namespace ClaimLedger.Documents;

/// <summary>
/// An article a claim appears in; other evidence held in full; or a cited source, held as a reference (URL, publisher,
/// title, dates) with the facts it supports in the checker's words, one a line, which citations quote.
/// </summary>
public enum DocumentKind { Article, Evidence, Cited }

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
    /// <summary>When a cited source was read at its URL.</summary>
    public DateOnly? RetrievedOn { get; init; }

    /// <summary>A copy kept by an archive (the Wayback Machine, archive.today), in case the URL changes or disappears.</summary>
    public string? ArchiveUrl { get; init; }

    /// <summary>The publisher a copy credits when it is not that publisher's own (a reworded copy of a CNN report).</summary>
    public string? AttributedTo { get; init; }

    /// <summary>
    /// How the publication date was worked out when the document does not state it; null when it does. An inferred
    /// date is the desk's estimate, so what the ledger publishes never presents it as the document's own.
    /// </summary>
    public string? DateInference { get; init; }

    /// <summary>Stored with the document so lists can show it without loading the text.</summary>
    public int Length => Text.Length;

    public static string HashOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
