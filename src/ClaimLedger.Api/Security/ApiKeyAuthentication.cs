using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using ClaimLedger.Access;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClaimLedger.Api.Security;

/// <summary>Turns an <c>X-Api-Key</c> header into the key's person and role. The person is the actor of every write.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IMediator mediator, FailedKeyAttempts failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        // A valid key is never refused for others' mistakes: it is checked first, and only wrong keys count.
        var key = await mediator.Send(new AuthenticateApiKey.Query(presented.ToString()), Context.RequestAborted);
        if (key is null)
        {
            var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (!failures.TryRecord(client, presented.ToString()))
            {
                Context.Items[nameof(FailedKeyAttempts)] = true;
                return AuthenticateResult.Fail("Too many failed key attempts.");
            }

            return AuthenticateResult.Fail("The API key is unknown, malformed or revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Person), new Claim(ClaimTypes.Role, key.Role.ToString()), new Claim("key", key.Id)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(nameof(FailedKeyAttempts)))
        {
            Response.Headers.RetryAfter = ((int)FailedKeyAttempts.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Write(Context, StatusCodes.Status429TooManyRequests, "Too many failed key attempts",
                $"Too many wrong keys came from this address within {FailedKeyAttempts.Window.TotalMinutes:F0} minute(s); wait and try again. A valid key is never refused for this.");
        }

        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "A valid API key is required",
            $"Send your key in the {Header} header. An admin creates keys (POST /keys, or the claimledger CLI's keys add).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Your key's role may not do this",
            $"This is {Article(Context.User.FindFirstValue(ClaimTypes.Role))} key. Writes need a checker key, " +
            "audit endpoints an auditor or admin key, and key management an admin key.");

    private static string Article(string? role) => role?.ToLowerInvariant() switch
    {
        null => "a role-less",
        var r when "aeiou".Contains(r[0], StringComparison.Ordinal) => $"an {r}",
        var r => $"a {r}",
    };
}

/// <summary>
/// Limits wrong keys with the rate limiters ASP.NET Core's rate-limiting middleware is built on: per client address and
/// key prefix (the key's public id), per address, and overall, each in a fixed window. Only wrong keys take permits, so
/// a valid key is never locked out. The limiters are chained overall-first, so once the overall limit is spent no new
/// partition is created, and idle partitions are dropped: the state stays bounded whatever an attacker sends.
/// </summary>
public sealed class FailedKeyAttempts : IDisposable
{
    public const int PerPrefix = 10;
    public const int PerAddress = 100;
    public const int Overall = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<(string Address, string Prefix)> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<(string Address, string Prefix), string>(_ => RateLimitPartition.GetFixedWindowLimiter("all", _ => Options(Overall))),
        PartitionedRateLimiter.Create<(string Address, string Prefix), string>(k => RateLimitPartition.GetFixedWindowLimiter(k.Address, _ => Options(PerAddress))),
        PartitionedRateLimiter.Create<(string Address, string Prefix), (string, string)>(k => RateLimitPartition.GetFixedWindowLimiter(k, _ => Options(PerPrefix))));

    private static FixedWindowRateLimiterOptions Options(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };

    /// <summary>Counts one wrong key; false when this address has sent too many (for this key prefix, or at all).</summary>
    public bool TryRecord(string address, string presentedKey)
    {
        var prefix = presentedKey.Length <= 16 ? presentedKey : presentedKey[..16];
        using var lease = _limiter.AttemptAcquire((address, prefix));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
