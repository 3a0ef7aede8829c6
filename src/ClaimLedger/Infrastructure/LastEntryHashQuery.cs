using System.Data.Common;
using ClaimLedger.Ledger;
using Weasel.Storage;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// A stream's newest entry hash, sequenced or not, or <see cref="EntryHash.Genesis"/> for a stream with none, as an item of
/// a Marten batch: a claim write reads it in the same round trip as the claim itself.
/// </summary>
internal sealed class LastEntryHashQuery(string schema, string streamId) : IQueryHandler<byte[]>
{
    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        foreach (var parameter in builder.AppendWithParameters(SequencerSchema.LastHashSql(schema)))
        {
            parameter.Value = streamId;
        }
    }

    public async Task<byte[]> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token) =>
        await reader.ReadAsync(token) && !await reader.IsDBNullAsync(0, token) ? await reader.GetFieldValueAsync<byte[]>(0, token) : EntryHash.Genesis;

    public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException("An entry hash is not JSON.");
}
