using ClaimLedger.Common;

namespace ClaimLedger.Ledger;

/// <summary>How Marten stores an event type: the name in <c>mt_events.type</c> and the .NET type name beside it.</summary>
public sealed record StoredEventName(string Type, string DotNetType);

/// <summary>One claim event as the ledger stores it, with its entry hashed over it and chained to the claim's previous entry.</summary>
/// <param name="HeadersJson">The headers column exactly as hashed: the import mark, or null for an event that has none.</param>
public sealed record ChainedEvent(
    string ClaimId, long Version, Guid EventId, object Data, StoredEventName Names, string Json, DateTimeOffset At,
    string Actor, string CorrelationId, ImportMark? Import, string? HeadersJson, byte[] EntryHash, byte[] PreviousHash);

/// <summary>
/// The one place where a decided event becomes a ledger entry: its id, time, actor and correlation fixed, its payload
/// serialized, hashed and chained to the claim's previous entry. The normal write and the bulk import both call it, so an
/// imported entry cannot be made differently from a written one. Positions are not assigned here: see <see cref="LedgerSchema"/>.
/// </summary>
/// <param name="forms">The store's own serializer and event names, so the hashed payload is the one stored.</param>
public sealed class LedgerChain(StoredForms forms)
{
    /// <summary>The time of a write, to the microsecond (what PostgreSQL stores, and so what the entry hash covers): an imported step's recorded time, or now.</summary>
    public static DateTimeOffset TimeOf(WriteContext context, DateTimeOffset now) => WriteTime.Of(context, now);

    /// <param name="version">The version the event takes in its claim's stream.</param>
    /// <param name="previous">The claim's last entry hash, or <see cref="EntryHash.Genesis"/> for its first event.</param>
    public ChainedEvent Link(string claimId, long version, object data, DateTimeOffset at, WriteContext context, byte[] previous)
    {
        var stored = forms.EventNames.TryGetValue(data.GetType(), out var known)
            ? known
            : throw new ArgumentException($"{data.GetType().Name} is not an event type of the ledger.", nameof(data));
        var id = Guid.CreateVersion7(at);
        var json = forms.Serialize(data);
        var correlation = context.CorrelationId ?? Guid.NewGuid().ToString("N");
        var headers = context.Import is { } import ? forms.Serialize(import.Headers()) : null;
        var hash = EntryHash.Compute(
            new LedgerEntryFields(claimId, version, id, stored.Type, at, json, context.Actor, headers, correlation), previous, EntryHash.EncodingVersion);
        return new ChainedEvent(claimId, version, id, data, stored, json, at, context.Actor, correlation, context.Import, headers, hash, previous);
    }
}
