using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ClaimLedger.Matching;

/// <summary>
/// The tables matching reads, registered with Marten so <c>db migrate</c> creates them and the exported migration
/// (migrations/0002_matching.sql) holds them: other fact-checkers' reviews, kept apart from the desk's claims, and
/// the desk claims' embeddings. Both carry the stemmed words (tsvector) and the sentence embedding (real[]; pgvector
/// is not packaged for this machine's PostgreSQL, and an in-memory scan of the vectors is fast enough at this size).
/// </summary>
public static class MatchingSchema
{
    public const string ReviewsTable = "cl_reference_reviews";
    public const string ClaimsTable = "cl_claim_embeddings";
    public const string ChangeSequence = "cl_matching_changes";

    /// <summary>
    /// Held by every transaction that writes either table, so change numbers are handed out in commit order and a
    /// reader that has seen change N has seen every change before it.
    /// </summary>
    internal const long WriteLockKey = 0x436c_4d61_7463_6800;

    public static IEnumerable<ISchemaObject> Objects(string schema)
    {
        var changes = new Sequence(new PostgresqlObjectName(schema, ChangeSequence, SchemaUtils.IdentifierUsage.General));

        var reviews = new Table(new PostgresqlObjectName(schema, ReviewsTable, SchemaUtils.IdentifierUsage.General));
        reviews.AddColumn("result_id", "varchar").AsPrimaryKey();
        reviews.AddColumn("identifier", "varchar");
        reviews.AddColumn("url", "varchar");
        reviews.AddColumn("claim_reviewed", "text").NotNull();
        reviews.AddColumn("headline", "text");
        reviews.AddColumn("description", "text");
        reviews.AddColumn("claimant", "text");
        reviews.AddColumn("rating", "text");
        reviews.AddColumn("rating_value", "numeric");
        reviews.AddColumn("best_rating", "numeric");
        reviews.AddColumn("worst_rating", "numeric");
        reviews.AddColumn("publisher", "text");
        reviews.AddColumn("date_published", "text");
        reviews.AddColumn("content_hash", "bytea").NotNull();
        AddMatchColumns(reviews, schema);
        reviews.AddColumn("imported_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");

        var claims = new Table(new PostgresqlObjectName(schema, ClaimsTable, SchemaUtils.IdentifierUsage.General));
        claims.AddColumn("claim_id", "varchar").AsPrimaryKey();
        claims.AddColumn("statement", "text").NotNull();
        AddMatchColumns(claims, schema);

        return [changes, reviews, claims];
    }

    private static void AddMatchColumns(Table table, string schema)
    {
        table.AddColumn("model", "varchar").NotNull();
        table.AddColumn("embedding", "real[]").NotNull();
        table.AddColumn("search", "tsvector").NotNull();
        table.AddColumn("change", "bigint").NotNull().DefaultValueByExpression($"nextval('{schema}.{ChangeSequence}')");
        table.Indexes.Add(new IndexDefinition($"{table.Identifier.Name}_change") { Columns = ["change"] });
    }

    /// <summary>The text search configuration of both the stored words and the query's.</summary>
    public const string TextSearchConfig = "english";

    /// <summary>The claim's words weigh most (A), then the fact-check's title (B), then its subtitle (C).</summary>
    internal const string ReviewSearchSql =
        $"setweight(to_tsvector('{TextSearchConfig}', coalesce(claim_reviewed, '')), 'A') || setweight(to_tsvector('{TextSearchConfig}', coalesce(headline, '')), 'B') || setweight(to_tsvector('{TextSearchConfig}', coalesce(description, '')), 'C')";

    public static Task<string> CreationScriptAsync(string schema) => Infrastructure.Migrations.ScriptOfAsync(Objects(schema));
}
