using System.Security.Cryptography;
using System.Text;

namespace ClaimLedger.Access;

public enum Role { Checker, Auditor, Admin }

/// <summary>
/// An API key as stored: never the secret itself. The key a person holds is <c>clk_{Id}_{secret}</c>; the id finds the
/// row, and the secret is compared by hash in constant time. Since <see cref="BoundBinding"/> the hash covers the key's
/// id, person and role with the secret, so a role raised or a person changed by SQL no longer matches any key anyone
/// holds: the key is refused, as no one without the secret can compute the hash for the new role.
/// </summary>
/// <param name="SecretSha256">The SHA-256 the presented secret is checked against (see <see cref="Verifier"/>).</param>
public sealed record ApiKey(string Id, string Person, Role Role, string SecretSha256, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public const string Prefix = "clk";

    /// <summary>Keys created before binding hash the secret alone; their role and person are not protected (rotate them).</summary>
    public const int SecretOnlyBinding = 1;

    public const int BoundBinding = 2;

    /// <summary>What <see cref="SecretSha256"/> hashes: the secret alone, or the secret bound to id, person and role.</summary>
    public int Binding { get; init; } = SecretOnlyBinding;

    public bool IsActive => RevokedAt is null;

    /// <summary>The hash a holder of <paramref name="secret"/> matches for this key's id, person and role under its binding.</summary>
    public string Verifier(string secret) => Binding == BoundBinding
        ? Hash($"claimledger-api-key-v2\n{Id}\n{Person}\n{Role}\n{secret}")
        : Hash(secret);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A new key, its hash bound to its id, person and role.</summary>
    public static ApiKey Create(string id, string person, Role role, string secret, DateTimeOffset at, string createdBy)
    {
        var key = new ApiKey(id, person, role, "", at, createdBy, null) { Binding = BoundBinding };
        return key with { SecretSha256 = key.Verifier(secret) };
    }

    public static (string Id, string Secret)? Parse(string? presented)
    {
        var parts = presented?.Split('_') ?? [];
        return parts is [Prefix, { Length: 12 } id, { Length: 43 } secret] ? (id, secret) : null;
    }
}
