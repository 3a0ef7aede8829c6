using System.Security.Cryptography;
using System.Text;

namespace ClaimLedger.Access;

public enum Role { Checker, Auditor, Admin }

/// <summary>
/// An API key as stored: only the SHA-256 of its secret, never the secret itself. The key a person holds is
/// <c>clk_{Id}_{secret}</c>; the id finds the row, the secret is compared by hash in constant time.
/// </summary>
public sealed record ApiKey(string Id, string Person, Role Role, string SecretSha256, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public const string Prefix = "clk";

    public bool IsActive => RevokedAt is null;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static (string Id, string Secret)? Parse(string? presented)
    {
        var parts = presented?.Split('_') ?? [];
        return parts is [Prefix, { Length: 12 } id, { Length: 43 } secret] ? (id, secret) : null;
    }
}
