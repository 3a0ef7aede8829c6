using ClaimLedger.Common;

namespace ClaimLedger.Access;

/// <summary>
/// A key was issued to a person for a role: never the secret, only the hash a holder's secret is checked against.
/// The first event of the key's stream.
/// </summary>
/// <param name="AdoptedAt">Set when the key was created by a build that kept no such event and <c>db migrate</c> adopted it then.</param>
public sealed record ApiKeyIssued(
    string KeyId, string Person, Role Role, string SecretSha256, int Binding, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? AdoptedAt = null);

/// <summary>A key was revoked; nothing brings it back (a new key is issued instead).</summary>
/// <param name="AdoptedAt">Set when the revocation was made by a build that kept no such event and <c>db migrate</c> adopted it then.</param>
public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset RevokedAt, string RevokedBy, DateTimeOffset? AdoptedAt = null);

/// <summary>A key as its ledger entries make it, and what a stored key row may not differ from it in.</summary>
public static class ApiKeyHistory
{
    public static ApiKey? Evolve(ApiKey? key, object @event) => (key, @event) switch
    {
        (null, ApiKeyIssued issued) => new ApiKey(issued.KeyId, issued.Person, issued.Role, issued.SecretSha256, issued.CreatedAt, issued.CreatedBy, null)
        {
            Binding = issued.Binding,
        },
        ({ RevokedAt: null } held, ApiKeyRevoked revoked) => held with { RevokedAt = revoked.RevokedAt },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot follow {(key is null ? "nothing" : key.IsActive ? "an active key" : "a revoked key")}."),
    };

    public static ApiKey? Replay(IEnumerable<object> events) => events.Aggregate(default(ApiKey), Evolve);

    public static ApiKeyIssued Issued(ApiKey key, DateTimeOffset? adoptedAt = null) =>
        new(key.Id, key.Person, key.Role, key.SecretSha256, key.Binding, key.CreatedAt, key.CreatedBy, adoptedAt);

    /// <summary>How a stored key differs from the one its entries make; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(ApiKey recorded, ApiKey stored) =>
        FieldDifferences.Between(Comparable(recorded), Comparable(stored), "isActive");

    private static ApiKey Comparable(ApiKey key) =>
        key with { CreatedAt = WriteTime.ToMicroseconds(key.CreatedAt), RevokedAt = key.RevokedAt is { } at ? WriteTime.ToMicroseconds(at) : null };
}
