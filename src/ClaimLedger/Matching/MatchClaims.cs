using ClaimLedger.Common;
using FluentValidation;
using MediatR;
using Npgsql;

namespace ClaimLedger.Matching;

/// <summary>
/// Has this been checked before? For any text, the desk's claims and other fact-checkers' reviews that say the same
/// thing, best first, each with its verdict or rating, its source and its score. The text is cleaned of what a post
/// wraps around a claim (<see cref="QueryText"/>), embedded, analysed by PostgreSQL's full-text search and ranked
/// by <see cref="MatchScoring"/> over the <see cref="MatchIndex"/>.
/// </summary>
public static class MatchClaims
{
    public const int MaxTop = 100;
    public const int MaxTextLength = 10_000;

    /// <param name="ExcludeClaimId">A desk claim to leave out, when matching that claim's own statement.</param>
    /// <param name="PublishedOn">When the text was published; else the date of an embedded post's tail, if it has one.</param>
    public sealed record Query(string Text, int Top = 5, string? ExcludeClaimId = null, DateOnly? PublishedOn = null) : IRequest<Result>;

    public sealed record Result(string Text, string Cleaned, IReadOnlyList<Match> Matches);

    /// <param name="Id">For a review its identifier, else its URL; for a desk claim its id.</param>
    /// <param name="Verdict">The desk claim's current rating, or the review's rating as published.</param>
    public sealed record Match(
        int Rank, MatchKind Kind, string Id, double Score, string Statement, string? Verdict, string? Publisher,
        string? Url, string? Date, string? Title, string? Document, string? Status);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Text).RequiredText(MaxTextLength);
            RuleFor(q => q.Top).InclusiveBetween(1, MaxTop).WithMessage($"a number of results from 1 to {MaxTop}");
        }
    }

    public sealed class Handler(ClaimLedgerOptions options, SentenceEmbedder embedder, MatchIndex index, ClaimEmbeddingQueue pending) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var cleaned = QueryText.Clean(query.Text);
            // Claims written before this query are embedded in the background; a query waits for them, not for later ones.
            await pending.CaughtUpAsync().WaitAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var terms = await index.RefreshAndAnalyseAsync(connection, cleaned, cancellationToken);
            var vector = embedder.Embed(cleaned);
            var snapshot = index.Current;
            var ranked = MatchScoring.Rank(snapshot, vector, terms, query.PublishedOn ?? QueryText.DateOf(query.Text), query.Top,
                entry => !(entry.Kind == MatchKind.Claim && entry.Key == query.ExcludeClaimId));

            var entries = ranked.Select(r => snapshot.Entries[r.Entry]).ToList();
            var details = await DetailsAsync(connection, entries, cancellationToken);
            var matches = ranked
                .Select((r, i) => details.TryGetValue((entries[i].Kind, entries[i].Key), out var d) ? d with { Rank = i + 1, Score = Math.Round(r.Score, 4) } : null)
                .OfType<Match>()
                .ToList();
            return new Result(query.Text, cleaned, matches);
        }

        private async Task<Dictionary<(MatchKind, string), Match>> DetailsAsync(NpgsqlConnection connection, List<MatchIndex.MatchEntry> entries, CancellationToken ct)
        {
            var schema = options.Schema;
            await using var query = new NpgsqlCommand(
                $"""
                select 'Review', result_id, claim_reviewed, rating, publisher, url, date_published, headline, null, null
                from {schema}.{MatchingSchema.ReviewsTable} where result_id = any(@reviews)
                union all
                select 'Claim', id, data ->> 'statement', data -> 'verdict' ->> 'rating', data -> 'appearance' ->> 'publisher',
                       null, data ->> 'recordedAt', null, data -> 'appearance' ->> 'documentId', data ->> 'status'
                from {schema}.mt_doc_claim where id = any(@claims)
                """, connection);
            query.Parameters.AddWithValue("reviews", entries.Where(e => e.Kind == MatchKind.Review).Select(e => e.Key).ToArray());
            query.Parameters.AddWithValue("claims", entries.Where(e => e.Kind == MatchKind.Claim).Select(e => e.Key).ToArray());
            var details = new Dictionary<(MatchKind, string), Match>();
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var kind = Enum.Parse<MatchKind>(reader.GetString(0));
                details[(kind, reader.GetString(1))] = new Match(0, kind, reader.GetString(1), 0, reader.GetString(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9));
            }

            return details;
        }
    }
}
