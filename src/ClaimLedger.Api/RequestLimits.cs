using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClaimLedger.Api;

/// <summary>
/// Kestrel answers a request line or headers over its limits with a bare 414 or 431 before any middleware runs, so
/// the API cannot explain them. Kestrel's own limits are therefore set at twice the API's, and the API refuses what
/// is over its limits here, as a problem with what to do next. Beyond Kestrel's limits the bare answer remains.
/// </summary>
public static class RequestLimits
{
    public const int MaxTargetBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    public static void Configure(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = 2 * MaxTargetBytes;
        limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
    }

    /// <summary>Answers a request over the API's limits; false when the request may go on.</summary>
    public static async Task<bool> RefuseOversizedAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target is { Length: > MaxTargetBytes })
        {
            await Problems.Write(context, StatusCodes.Status414UriTooLong, "The URL is too long",
                $"Request targets are limited to {MaxTargetBytes:N0} characters; send long values in a body, or fewer query parameters.");
            return true;
        }

        var headerBytes = context.Request.Headers.Sum(h => h.Key.Length + 4 + h.Value.Sum(v => v?.Length ?? 0));
        if (headerBytes > MaxHeaderBytes)
        {
            await Problems.Write(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large",
                $"Headers are limited to {MaxHeaderBytes:N0} bytes in all; send fewer or shorter headers.");
            return true;
        }

        return false;
    }
}
