using ClaimLedger.Claims;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Infrastructure;

/// <summary>Claim read models written by binary COPY, in the very row shape Marten's inline projection gives them.</summary>
internal sealed class ClaimDocumentCopy(NpgsqlBinaryImporter importer, Marten.ISerializer serializer) : IAsyncDisposable
{
    private static readonly string DocumentType = typeof(Claim).FullName!;

    public static async Task<ClaimDocumentCopy> BeginAsync(NpgsqlConnection connection, string schema, Marten.ISerializer serializer, CancellationToken ct) =>
        new(await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_doc_claim (id, data, mt_dotnet_type, mt_version, recorded_at, status, verdictrating) from stdin (format binary)", ct), serializer);

    public void Write(Claim claim)
    {
        importer.StartRow();
        importer.Write(claim.Id, NpgsqlDbType.Varchar);
        importer.Write(serializer.ToJson(claim), NpgsqlDbType.Jsonb);
        importer.Write(DocumentType, NpgsqlDbType.Varchar);
        importer.Write(claim.Version, NpgsqlDbType.Bigint);
        importer.Write(claim.RecordedAt, NpgsqlDbType.TimestampTz);
        importer.Write(claim.Status.ToString(), NpgsqlDbType.Varchar);
        if (claim.Verdict is { } verdict)
        {
            importer.Write(verdict.Rating.ToString(), NpgsqlDbType.Varchar);
        }
        else
        {
            importer.WriteNull();
        }
    }

    public async Task CompleteAsync(CancellationToken ct) => await importer.CompleteAsync(ct);

    public ValueTask DisposeAsync() => importer.DisposeAsync();
}
