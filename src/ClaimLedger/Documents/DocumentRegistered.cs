using ClaimLedger.Common;

namespace ClaimLedger.Documents;

/// <summary>
/// A document entered the ledger: every detail a reader sees, and the SHA-256 of its text (the text itself stays in the
/// documents table, checked against this hash). The first and only event of the document's stream.
/// </summary>
/// <param name="AdoptedAt">
/// Set when the document was registered by a build that kept no such event, and <c>db migrate</c> adopted it into the
/// ledger at this time: its details are vouched for from then on, not from <paramref name="RegisteredAt"/>.
/// </param>
public sealed record DocumentRegistered(
    string DocumentId, string Publisher, string Title, DateOnly? PublishedOn, string? Url, string Language, DocumentKind Kind,
    string Sha256, int Length, DateOnly? RetrievedOn, string? ArchiveUrl, string? AttributedTo, string? DateInference,
    string RegisteredBy, DateTimeOffset RegisteredAt, DateTimeOffset? AdoptedAt = null)
{
    public static DocumentRegistered Of(SourceDocument document, DateTimeOffset? adoptedAt = null) => new(
        document.Id, document.Publisher, document.Title, document.PublishedOn, document.Url, document.Language, document.Kind,
        document.Sha256, document.Length, document.RetrievedOn, document.ArchiveUrl, document.AttributedTo, document.DateInference,
        document.RegisteredBy, document.RegisteredAt, adoptedAt);

    /// <summary>Whether a stored document is this registration's: the same id, a text that hashes to the registered SHA-256, and no other difference.</summary>
    public bool Registers(SourceDocument stored) =>
        DocumentId == stored.Id && Sha256 == SourceDocument.HashOf(stored.Text) && Differences(stored).Count == 0;

    /// <summary>The differences between a stored document and what was registered, by field; empty when they agree.</summary>
    public IReadOnlyList<string> Differences(SourceDocument stored) =>
        FieldDifferences.Between(Comparable(this), Comparable(Of(stored)));

    private static DocumentRegistered Comparable(DocumentRegistered registered) =>
        registered with { AdoptedAt = null, RegisteredAt = WriteTime.ToMicroseconds(registered.RegisteredAt) };
}
