using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Documents;
using Marten;
using MediatR;

namespace ClaimLedger.Publishing;

/// <summary>
/// A claim's public review page: what a reader sees and, while the review is published, the ClaimReview markup that
/// describes the same check. Every recorded claim has one; a retracted claim keeps it, marked withdrawn.
/// </summary>
public static class GetReviewPage
{
    public sealed record Query(string ClaimId, ReviewPublishing Publishing) : IRequest<Page>;

    /// <param name="Review">The ClaimReview markup; null while there is no verdict and once the review is withdrawn.</param>
    public sealed record Page(Claim Claim, IReadOnlyDictionary<string, SourceDocument> Documents, JsonObject? Review, ReviewPublishing Publishing)
    {
        public string Url => Publishing.PageUrl(Claim.Id);
    }

    public sealed class Handler(IDocumentStore store, IMediator mediator) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query query, CancellationToken cancellationToken)
        {
            var claim = await mediator.Send(new GetClaim.Query(query.ClaimId), cancellationToken);
            var documents = await ReviewDocuments.LoadAsync(store, [claim], cancellationToken);
            var review = ClaimReviews.IsPublished(claim) ? ClaimReviews.Build(claim, documents, query.Publishing) : null;
            return new Page(claim, documents, review, query.Publishing);
        }
    }
}
