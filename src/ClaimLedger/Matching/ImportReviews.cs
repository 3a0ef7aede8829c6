using System.Diagnostics;
using ClaimLedger.Common;
using MediatR;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Matching;

/// <summary>
/// Imports other fact-checkers' published ClaimReview JSON-LD as reference reviews. Everything is read and checked
/// first: one bad item fails the import with every problem listed by position and field, and nothing is written.
/// Reviews are named by identifier (else URL); a review already held with the same content is left alone and not
/// embedded again, so re-importing a file changes nothing. New and changed reviews are embedded, then written in one
/// transaction.
/// </summary>
public static class ImportReviews
{
    public sealed record Command(string Path, IProgress<Progress>? Progress = null) : IRequest<Result>;

    public sealed record Progress(string Stage, int Done, int Total);

    public sealed record Result(int Read, int Added, int Updated, int Unchanged, TimeSpan Elapsed);

    public sealed class Handler(ClaimLedgerOptions options, SentenceEmbedder embedder) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            if (!File.Exists(command.Path))
            {
                throw new RequestValidationException([new("file", $"a ClaimReview JSON-LD or JSON Lines file; '{command.Path}' does not exist")]);
            }

            var (reviews, problems) = ClaimReviewFeed.Read(await File.ReadAllBytesAsync(command.Path, cancellationToken));
            var distinct = Distinct(reviews, problems);
            if (problems.Count > 0)
            {
                throw new RequestValidationException([.. problems.Select(p => new FieldError($"{p.Position}: {p.Field}", p.Message))]);
            }

            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var held = await HeldAsync(connection, distinct, cancellationToken);
            var changed = distinct.Where(r => !held.TryGetValue(r.Review.ResultId, out var hash) || !hash.SequenceEqual(r.Hash)).ToList();

            var vectors = embedder.EmbedMany(
                [.. changed.Select(r => MatchText.Of(r.Review))],
                new Progress<int>(done => command.Progress?.Report(new("Embedding", done, changed.Count))),
                cancellationToken: cancellationToken);

            var (added, updated) = changed.Count == 0 ? (0, 0) : await WriteAsync(connection, changed, vectors, cancellationToken);
            return new Result(reviews.Count, added, updated, distinct.Count - added - updated, clock.Elapsed);
        }

        /// <summary>The same review twice in one file is taken once; the same name with different content is a problem.</summary>
        private static List<(ReferenceReview Review, byte[] Hash)> Distinct(IReadOnlyList<ReferenceReview> reviews, IReadOnlyList<ReviewProblem> problems)
        {
            var byId = new Dictionary<string, (ReferenceReview Review, byte[] Hash)>();
            var conflicts = (List<ReviewProblem>)problems;
            foreach (var review in reviews)
            {
                var hash = review.ContentHash();
                if (byId.TryGetValue(review.ResultId, out var first))
                {
                    if (!first.Hash.SequenceEqual(hash))
                    {
                        conflicts.Add(new($"review '{review.ResultId}'", review.Identifier is null ? "url" : "identifier", "unique within the file: it names two reviews with different content"));
                    }

                    continue;
                }

                byId[review.ResultId] = (review, hash);
            }

            return [.. byId.Values];
        }

        private async Task<Dictionary<string, byte[]>> HeldAsync(NpgsqlConnection connection, List<(ReferenceReview Review, byte[] Hash)> reviews, CancellationToken ct)
        {
            await using var query = new NpgsqlCommand(
                $"select result_id, content_hash from {options.Schema}.{MatchingSchema.ReviewsTable} where result_id = any(@ids) and model = @model", connection);
            query.Parameters.AddWithValue("ids", reviews.Select(r => r.Review.ResultId).ToArray());
            query.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
            var held = new Dictionary<string, byte[]>();
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                held[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
            }

            return held;
        }

        private async Task<(int Added, int Updated)> WriteAsync(NpgsqlConnection connection, List<(ReferenceReview Review, byte[] Hash)> reviews, float[][] vectors, CancellationToken ct)
        {
            var table = $"{options.Schema}.{MatchingSchema.ReviewsTable}";
            const string Columns = "result_id, identifier, url, claim_reviewed, headline, description, claimant, rating, rating_value, best_rating, worst_rating, publisher, date_published, content_hash, model, embedding";
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var prepare = new NpgsqlCommand(
                $"select pg_advisory_xact_lock({MatchingSchema.WriteLockKey}); create temp table incoming (result_id text, identifier text, url text, claim_reviewed text, headline text, description text, claimant text, rating text, rating_value numeric, best_rating numeric, worst_rating numeric, publisher text, date_published text, content_hash bytea, model text, embedding real[]) on commit drop", connection, transaction))
            {
                await prepare.ExecuteNonQueryAsync(ct);
            }

            await using (var copy = await connection.BeginBinaryImportAsync($"copy incoming ({Columns}) from stdin (format binary)", ct))
            {
                for (var i = 0; i < reviews.Count; i++)
                {
                    var (r, hash) = reviews[i];
                    await copy.StartRowAsync(ct);
                    foreach (var text in new[] { r.ResultId, r.Identifier, r.Url, r.ClaimReviewed, r.Headline, r.Description, r.Claimant, r.Rating })
                    {
                        await copy.WriteAsync(text, NpgsqlDbType.Text, ct);
                    }

                    foreach (var number in new[] { r.RatingValue, r.BestRating, r.WorstRating })
                    {
                        await copy.WriteAsync(number, NpgsqlDbType.Numeric, ct);
                    }

                    await copy.WriteAsync(r.Publisher, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.DatePublished, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(hash, NpgsqlDbType.Bytea, ct);
                    await copy.WriteAsync(SentenceEmbedder.ModelId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(vectors[i], NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
                }

                await copy.CompleteAsync(ct);
            }

            var assignments = string.Join(", ", Columns.Split(", ").Skip(1).Append("search").Append("change").Append("imported_at").Select(c => $"{c} = excluded.{c}"));
            await using var upsert = new NpgsqlCommand(
                $"""
                insert into {table} ({Columns}, search)
                select {Columns}, {MatchingSchema.ReviewSearchSql} from incoming
                on conflict (result_id) do update set {assignments}
                where {table}.content_hash <> excluded.content_hash or {table}.model <> excluded.model
                returning (xmax = 0)
                """, connection, transaction);
            int added = 0, updated = 0;
            await using (var reader = await upsert.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    if (reader.GetBoolean(0))
                    {
                        added++;
                    }
                    else
                    {
                        updated++;
                    }
                }
            }

            await transaction.CommitAsync(ct);
            return (added, updated);
        }
    }
}
