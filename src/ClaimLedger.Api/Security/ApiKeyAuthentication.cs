using System.Security.Claims;
using System.Text.Encodings.Web;
using ClaimLedger.Access;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClaimLedger.Api.Security;

/// <summary>Turns an <c>X-Api-Key</c> header into the key's person and role. The person is the actor of every write.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IMediator mediator)
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

        var key = await mediator.Send(new AuthenticateApiKey.Query(presented.ToString()), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, malformed or revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Person), new Claim(ClaimTypes.Role, key.Role.ToString()), new Claim("key", key.Id)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "A valid API key is required",
            $"Send your key in the {Header} header. Keys are created with: claimledger keys add --person NAME --role checker");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Your key's role may not do this",
            $"This key is a {Context.User.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant()} key. Writes need a checker key, " +
            "audit endpoints an auditor or admin key, and key management an admin key.");
}
