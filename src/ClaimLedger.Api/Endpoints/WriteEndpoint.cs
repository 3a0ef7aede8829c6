using System.Security.Claims;
using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

/// <summary>What every write endpoint does around its request: who acts, which version it expects, what it answers.</summary>
internal static class WriteEndpoint
{
    public static WriteContext Context(HttpContext http) =>
        new(http.User.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("Writes require an authenticated key."),
            http.Request.Headers["X-Correlation-Id"].FirstOrDefault() ?? http.TraceIdentifier,
            IdempotencyKey: http.Request.Headers["Idempotency-Key"].FirstOrDefault());

    /// <summary>Sends a write that must name the version it was decided on: If-Match is required, and a stale one is a 412.</summary>
    public static async Task<IResult> SendAsync(HttpContext http, IMediator mediator, Func<long, WriteContext, IRequest<WriteResult>> build)
    {
        if (Etag.Parse(http.Request.Headers.IfMatch.FirstOrDefault()) is not { } expected)
        {
            return Problems.Precondition("Send If-Match with the claim's ETag (its version, e.g. \"3\") from your last read, so a change someone made since is never overwritten.");
        }

        try
        {
            var result = await mediator.Send(build(expected, Context(http)), http.RequestAborted);
            http.Response.Headers.ETag = Etag.Of(result.Version);
            return TypedResults.Ok(result);
        }
        catch (VersionConflictException conflict)
        {
            // Answered here rather than by the exception handler, which strips ETag headers from what it writes.
            http.Response.Headers.ETag = Etag.Of(conflict.CurrentVersion);
            return TypedResults.Problem(conflict.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Someone changed the claim first",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = conflict.CurrentVersion, ["expectedVersion"] = conflict.ExpectedVersion });
        }
    }
}
