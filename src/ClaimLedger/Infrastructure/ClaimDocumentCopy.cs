using ClaimLedger.Claims;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Claim read models written by binary COPY, in the row shape Marten's inline projection gives them. The columns are not
/// listed here but taken from Marten's own mapping of <see cref="Claim"/>: a column duplicated from the document in
/// <see cref="LedgerStore.Configure"/> is copied too, with the value Marten would store, without touching this file.
/// </summary>
internal sealed class ClaimDocumentCopy(NpgsqlBinaryImporter importer, Marten.ISerializer serializer, IReadOnlyList<ClaimDocumentCopy.Duplicate> duplicates)
    : IAsyncDisposable
{
    private static readonly string DocumentType = typeof(Claim).FullName!;

    /// <summary>A column Marten duplicates from the document, and how to read its value from a claim.</summary>
    internal sealed record Duplicate(string Column, NpgsqlDbType DbType, Func<Claim, object?> Value);

    public static async Task<ClaimDocumentCopy> BeginAsync(NpgsqlConnection connection, IDocumentStore store, CancellationToken ct)
    {
        var mapping = store.Options.FindOrResolveDocumentType(typeof(Claim));
        var values = LedgerStore.Forms(store).ClaimColumns.ToDictionary(c => c.Name, c => c.Value);
        var duplicates = mapping.DuplicatedFields.Select(field => new Duplicate(field.ColumnName, field.DbType, values[field.ColumnName])).ToList();
        var columns = string.Join(", ", ["id", "data", "mt_dotnet_type", "mt_version", .. duplicates.Select(d => d.Column)]);
        var importer = await connection.BeginBinaryImportAsync($"copy {mapping.TableName.QualifiedName} ({columns}) from stdin (format binary)", ct);
        return new ClaimDocumentCopy(importer, store.Options.Serializer(), duplicates);
    }

    public void Write(Claim claim)
    {
        importer.StartRow();
        importer.Write(claim.Id, NpgsqlDbType.Varchar);
        importer.Write(serializer.ToJson(claim), NpgsqlDbType.Jsonb);
        importer.Write(DocumentType, NpgsqlDbType.Varchar);
        importer.Write(claim.Version, NpgsqlDbType.Bigint);
        foreach (var duplicate in duplicates)
        {
            if (duplicate.Value(claim) is { } value)
            {
                importer.Write(value, duplicate.DbType);
            }
            else
            {
                importer.WriteNull();
            }
        }
    }

    public async Task CompleteAsync(CancellationToken ct) => await importer.CompleteAsync(ct);

    public ValueTask DisposeAsync() => importer.DisposeAsync();
}
