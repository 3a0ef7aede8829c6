using Marten;
using MediatR;

namespace ClaimLedger.Documents;

/// <summary>The registered documents, without their text.</summary>
public static class ListDocuments
{
    public sealed record Query : IRequest<IReadOnlyList<Summary>>;

    public sealed record Summary(string Id, string Publisher, string Title, DateOnly? PublishedOn, DocumentKind Kind, int Length, string Sha256);

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<Summary>>
    {
        public async Task<IReadOnlyList<Summary>> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            var documents = await session.Query<SourceDocument>()
                .OrderBy(d => d.Id)
                .Select(d => new Summary(d.Id, d.Publisher, d.Title, d.PublishedOn, d.Kind, d.Length, d.Sha256))
                .ToListAsync(cancellationToken);
            return documents.ToList();
        }
    }
}
