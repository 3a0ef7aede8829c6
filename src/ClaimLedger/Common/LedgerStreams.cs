using Marten;

namespace ClaimLedger.Common;

/// <summary>
/// The ledger's streams besides claims: each registered document and each API key has one, under an id no claim can take
/// (claim ids are slugs, which never hold a colon). Verification derives the documents and keys tables from them.
/// </summary>
public static class LedgerStreamIds
{
    public const string DocumentPrefix = "document:";
    public const string ApiKeyPrefix = "api-key:";

    public static string Document(string documentId) => DocumentPrefix + documentId;

    public static string ApiKey(string keyId) => ApiKeyPrefix + keyId;

    public static bool IsClaim(string streamId) =>
        !streamId.StartsWith(DocumentPrefix, StringComparison.Ordinal) && !streamId.StartsWith(ApiKeyPrefix, StringComparison.Ordinal);

    /// <summary>A SQL condition on <paramref name="column"/> that holds for claim streams only.</summary>
    public static string ClaimsOnlySql(string column) =>
        $"{column} not like '{DocumentPrefix}%' and {column} not like '{ApiKeyPrefix}%'";
}

/// <summary>
/// Appends events to a document's or a key's stream with their chained ledger entries, through the same chain, event form
/// and ledger queue as claims' writes (implemented in Infrastructure, so Documents and Access need not know the ledger).
/// </summary>
public interface ILedgerStreams
{
    /// <summary>
    /// Adds the events after the stream's last one, each with its ledger entry, to <paramref name="session"/>; the caller
    /// saves. The stream must be at <paramref name="expectedVersion"/> (0: it must not exist yet), or the save fails.
    /// </summary>
    /// <param name="at">The events' time, from <see cref="WriteTime.Of"/>, which the events themselves also carry.</param>
    Task AppendAsync(
        IDocumentSession session, string streamId, long expectedVersion, IReadOnlyList<object> events, DateTimeOffset at, WriteContext context, CancellationToken ct);

    /// <summary>
    /// The stream's events in order, or null when one of them has no entry in the ledger (sequenced or queued), the ledger
    /// holds an entry no event answers, or an event is of a type the ledger does not write: an event slipped in or taken
    /// out by SQL never makes the stream read as recorded.
    /// </summary>
    Task<IReadOnlyList<object>?> ReadAsync(string streamId, CancellationToken ct);
}

public static class WriteTime
{
    /// <summary>The time of a write, to the microsecond (what PostgreSQL stores, and so what the entry hash covers): an imported step's recorded time, or now.</summary>
    public static DateTimeOffset Of(WriteContext context, DateTimeOffset now)
    {
        return ToMicroseconds(context.Import?.RecordedAt ?? now);
    }

    /// <summary>A time as PostgreSQL keeps it: UTC, to the microsecond.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);
}
