using ClaimLedger.Claims;

namespace ClaimLedger.Ledger;

/// <summary>A column of the claim read model that the store duplicates from the document, with how to derive it from a claim.</summary>
public sealed record ReadModelColumn(string Name, Func<Claim, object?> Value);

/// <summary>
/// How the store writes and reads what the ledger hashes and checks: event payloads, the names of event types, and the
/// claim read model's duplicated columns. Built from the store's configuration by the composition root, so the ledger's
/// hashing and checks use exactly the forms the store uses, without knowing the store.
/// </summary>
public sealed record StoredForms(
    Func<object, string> Serialize,
    Func<string, Type, object> Deserialize,
    IReadOnlyDictionary<Type, StoredEventName> EventNames,
    IReadOnlyList<ReadModelColumn> ClaimColumns);
