using System.Security.Claims;
using System.Text.Encodings.Web;
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

        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.IsBlocked(client))
        {
            Context.Items[nameof(FailedKeyAttempts)] = true;
            return AuthenticateResult.Fail("Too many failed key attempts.");
        }

        var key = await mediator.Send(new AuthenticateApiKey.Query(presented.ToString()), Context.RequestAborted);
        if (key is null)
        {
            failures.Record(client);
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
                $"More than {FailedKeyAttempts.Limit} wrong keys came from this address within {FailedKeyAttempts.Window.TotalMinutes:F0} minute(s); wait and try again with a valid key.");
        }

        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "A valid API key is required",
            $"Send your key in the {Header} header. Keys are created with: claimledger keys add --person NAME --role checker");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Your key's role may not do this",
            $"This key is a {Context.User.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant()} key. Writes need a checker key, " +
            "audit endpoints an auditor or admin key, and key management an admin key.");
}

/// <summary>Counts wrong keys per client address in a sliding window, so keys cannot be guessed at speed.</summary>
public sealed class FailedKeyAttempts(TimeProvider clock)
{
    public const int Limit = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();

    public void Record(string client)
    {
        var queue = _failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(clock.GetUtcNow());
        }
    }

    public bool IsBlocked(string client)
    {
        if (!_failures.TryGetValue(client, out var queue))
        {
            return false;
        }

        lock (queue)
        {
            while (queue.Count > 0 && queue.Peek() < clock.GetUtcNow() - Window)
            {
                queue.Dequeue();
            }

            return queue.Count >= Limit;
        }
    }
}
