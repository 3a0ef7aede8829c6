using Marten;
using MediatR;

namespace ClaimLedger.Documents;

/// <summary>
/// What a reader needs to follow the documents a claim cites: publisher, title, dates and addresses, without the text.
/// Documents that are not registered are left out.
/// </summary>
public static class DocumentReferences
{
    public sealed record Query(IReadOnlyCollection<string> DocumentIds) : IRequest<IReadOnlyList<Reference>>;

    public sealed record Reference(
        string Id, string Publisher, string Title, DateOnly? PublishedOn, string? Url, DocumentKind Kind,
        DateOnly? RetrievedOn, string? ArchiveUrl, string? AttributedTo);

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<Reference>>
    {
        public async Task<IReadOnlyList<Reference>> Handle(Query query, CancellationToken cancellationToken)
        {
            if (query.DocumentIds.Count == 0)
            {
                return [];
            }

            await using var session = store.QuerySession();
            var documents = await session.LoadManyAsync<SourceDocument>(cancellationToken, query.DocumentIds.Distinct());
            return documents
                .Select(d => new Reference(d.Id, d.Publisher, d.Title, d.PublishedOn, d.Url, d.Kind, d.RetrievedOn, d.ArchiveUrl, d.AttributedTo))
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
        }
    }
}
