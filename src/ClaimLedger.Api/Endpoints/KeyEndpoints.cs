using System.Security.Claims;
using ClaimLedger.Access;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

public sealed record CreateKeyBody(string Person, Role Role);

/// <summary>A key as listed to an admin: who holds it, its role, and whether it is revoked; never its secret or hash.</summary>
public sealed record KeyListing(string Id, string Person, Role Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public static KeyListing Of(ApiKey key) => new(key.Id, key.Person, key.Role, key.CreatedAt, key.CreatedBy, key.RevokedAt);
}

/// <summary>For admins: create, list and revoke API keys.</summary>
public static class KeyEndpoints
{
    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Policies.Admin).RefuseUnknownQueryParameters();
        keys.MapGet("/", async (IMediator m, CancellationToken ct) => (await m.Send(new ListApiKeys.Query(), ct)).Select(KeyListing.Of).ToList())
            .WithName("listKeys").WithSummary("Every key, without secrets");
        keys.MapPost("/", async (CreateKeyBody body, HttpContext http, IMediator m) =>
                TypedResults.Created("/keys", await m.Send(new CreateApiKey.Command(body.Person, body.Role, http.User.FindFirstValue(ClaimTypes.Name)!), http.RequestAborted)))
            .WithName("createKey").WithSummary("Create a key; its secret is shown in this response only").ProducesValidationProblem();
        keys.MapDelete("/{id}", async (string id, HttpContext http, IMediator m) =>
                KeyListing.Of(await m.Send(new RevokeApiKey.Command(id, http.User.FindFirstValue(ClaimTypes.Name)!), http.RequestAborted)))
            .WithName("revokeKey").WithSummary("Revoke a key").ProducesValidationProblem().ProducesProblem(404);
    }
}
