using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Documents;

public static class GetDocument
{
    public sealed record Query(string DocumentId) : IRequest<SourceDocument>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.DocumentId).MustBeSlug();
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, SourceDocument>
    {
        public async Task<SourceDocument> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<SourceDocument>(query.DocumentId, cancellationToken)
                ?? throw new NotFoundException("document", query.DocumentId);
        }
    }
}
