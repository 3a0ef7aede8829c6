using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>A page of claims, filtered by kind, status, verdict or publisher and searched by statement.</summary>
public static class ListClaims
{
    public const int MaxPageSize = 500;

    /// <summary>Far beyond any ledger, and low enough that the offset of its last row fits in an int.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public sealed record Query(
        ClaimKind? Kind = null, ClaimStatus? Status = null, Rating? Verdict = null, string? Publisher = null,
        string? Search = null, int Page = 1, int PageSize = 20) : IRequest<ClaimPage>;

    public sealed record ClaimPage(IReadOnlyList<Claim> Items, long Total, int Page, int PageSize)
    {
        public long PageCount => (Total + PageSize - 1) / PageSize;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Kind).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<ClaimKind>())}");
            RuleFor(q => q.Status).IsInEnum().WithMessage($"one of {string.Join(", ", Enum.GetNames<ClaimStatus>())}");
            RuleFor(q => q.Verdict).IsInEnum().WithMessage($"one of {Ratings.Expected}");
            RuleFor(q => q.Publisher).OptionalText(200);
            RuleFor(q => q.Search).OptionalText(200);
            RuleFor(q => q.Page).InclusiveBetween(1, MaxPage).WithMessage($"a page number from 1 to {MaxPage:N0}");
            RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize).WithMessage($"between 1 and {MaxPageSize}");
        }
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, ClaimPage>
    {
        public async Task<ClaimPage> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            IQueryable<Claim> claims = session.Query<Claim>();
            if (query.Kind is { } kind)
            {
                claims = claims.Where(c => c.Kind == kind);
            }

            if (query.Status is { } status)
            {
                claims = claims.Where(c => c.Status == status);
            }

            if (query.Verdict is { } rating)
            {
                // Rating is a duplicated, indexed column, null when there is no verdict; testing the JSON for null would read every document.
                claims = claims.Where(c => c.Verdict!.Rating == rating);
            }

            if (!string.IsNullOrWhiteSpace(query.Publisher))
            {
                var publisher = query.Publisher.Trim();
                claims = claims.Where(c => c.Publishers.Contains(publisher));
            }

            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                claims = claims.Where(c => c.PlainTextSearch(query.Search));
            }

            // Counted apart from the page: a count over the page query's window would read every matching document in full.
            var total = await claims.LongCountAsync(cancellationToken);
            var page = await claims.OrderBy(c => c.RecordedAt).ThenBy(c => c.Id)
                .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
            return new ClaimPage(page.ToList(), total, query.Page, query.PageSize);
        }
    }
}
