using ClaimLedger.Common;
using MediatR;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Matching;

/// <summary>
/// Brings the desk claims' embeddings up to date with their statements: a claim whose embedding is missing, was made
/// from another statement or by another model is embedded again. Run in the background after claim writes
/// (<see cref="ClaimEmbeddingQueue"/>), after a seed import, and by <c>db rebuild</c> (which re-embeds every claim, and every review made by another model).
/// Being driven by what is stale rather than by the write that was just made, a run also repairs what an earlier one missed.
/// </summary>
public static class EmbedClaims
{
    /// <param name="ClaimIds">The claims to look at; all of them when null.</param>
    /// <param name="Background">Embed on one core, beside the writes that queued the claims.</param>
    public sealed record Command(IReadOnlyList<string>? ClaimIds = null, bool Everything = false, bool Background = false) : IRequest<Result>;

    public sealed record Result(int Claims, int Reviews);

    public sealed class Handler(ClaimLedgerOptions options, SentenceEmbedder embedder) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var schema = options.Schema;
            var table = $"{schema}.{MatchingSchema.ClaimsTable}";
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var stale = new List<(string Id, string Statement)>();
            await using (var query = new NpgsqlCommand(
                $"""
                select c.id, c.data ->> 'statement' from {schema}.mt_doc_claim c left join {table} e on e.claim_id = c.id
                where (@claims is null or c.id = any(@claims))
                  and (@everything or e.claim_id is null or e.statement <> c.data ->> 'statement' or e.model <> @model)
                """, connection))
            {
                query.Parameters.Add(new NpgsqlParameter("claims", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = (object?)command.ClaimIds?.ToArray() ?? DBNull.Value });
                query.Parameters.AddWithValue("everything", command.Everything);
                query.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
                await using var reader = await query.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    stale.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            var reviews = command.Everything ? await ReembedReviewsOfOtherModelsAsync(connection, cancellationToken) : 0;
            if (stale.Count == 0)
            {
                return new Result(0, reviews);
            }

            var vectors = embedder.EmbedMany([.. stale.Select(s => s.Statement)], cores: command.Background ? 1 : null, cancellationToken: cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var upsert = new NpgsqlCommand(
                $"""
                select pg_advisory_xact_lock({MatchingSchema.WriteLockKey});
                insert into {table} (claim_id, statement, model, embedding, search)
                select id, statement, @model, vector, setweight(to_tsvector('{MatchingSchema.TextSearchConfig}', statement), 'A')
                from unnest(@ids, @statements) with ordinality as s(id, statement, n)
                join lateral (select array(select unnest(@vectors[n:n])) as vector) v on true
                on conflict (claim_id) do update set statement = excluded.statement, model = excluded.model,
                  embedding = excluded.embedding, search = excluded.search, change = excluded.change
                """, connection, transaction);
            upsert.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
            upsert.Parameters.AddWithValue("ids", stale.Select(s => s.Id).ToArray());
            upsert.Parameters.AddWithValue("statements", stale.Select(s => s.Statement).ToArray());
            upsert.Parameters.AddWithValue("vectors", ToMatrix(vectors));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new Result(stale.Count, reviews);
        }

        private async Task<int> ReembedReviewsOfOtherModelsAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            var table = $"{options.Schema}.{MatchingSchema.ReviewsTable}";
            var stale = new List<(string Id, ReferenceReview Review)>();
            await using (var query = new NpgsqlCommand($"select result_id, claim_reviewed, headline, description from {table} where model <> @model", connection))
            {
                query.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
                await using var reader = await query.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var review = new ReferenceReview(reader.GetString(0), null, null, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3), null, null, null, null, null, null, null);
                    stale.Add((review.ResultId, review));
                }
            }

            if (stale.Count == 0)
            {
                return 0;
            }

            var vectors = embedder.EmbedMany([.. stale.Select(s => MatchText.Of(s.Review))], cancellationToken: ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var update = new NpgsqlCommand(
                $"""
                select pg_advisory_xact_lock({MatchingSchema.WriteLockKey});
                update {table} r set model = @model, embedding = array(select unnest(@vectors[s.n:s.n])), change = nextval('{options.Schema}.{MatchingSchema.ChangeSequence}')
                from unnest(@ids) with ordinality as s(id, n) where r.result_id = s.id
                """, connection, transaction);
            update.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
            update.Parameters.AddWithValue("ids", stale.Select(s => s.Id).ToArray());
            update.Parameters.AddWithValue("vectors", ToMatrix(vectors));
            await update.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return stale.Count;
        }

        private static float[,] ToMatrix(float[][] vectors)
        {
            var matrix = new float[vectors.Length, SentenceEmbedder.Dimensions];
            for (var i = 0; i < vectors.Length; i++)
            {
                for (var j = 0; j < SentenceEmbedder.Dimensions; j++)
                {
                    matrix[i, j] = vectors[i][j];
                }
            }

            return matrix;
        }
    }
}
