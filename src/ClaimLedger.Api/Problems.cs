using ClaimLedger.Common;
using ClaimLedger.Failures;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClaimLedger.Api;

/// <summary>
/// Every error as an RFC 9457 problem written by ASP.NET Core's <see cref="IProblemDetailsService"/>: the status, a
/// title, what to do next and the request's correlation id, never a stack trace.
/// </summary>
public static class Problems
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The id that ties a request's events, its log entries and its problem body together.</summary>
    public static string CorrelationId(HttpContext http) =>
        http.Request.Headers[CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 100 } given && !RequestRules.HasHiddenCharacters(given)
            ? given
            : http.TraceIdentifier;

    public static void Configure(ProblemDetailsOptions options) => options.CustomizeProblemDetails = context =>
    {
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        context.ProblemDetails.Extensions["correlationId"] = CorrelationId(context.HttpContext);
        context.ProblemDetails.Extensions.Remove("traceId");
    };

    public static async Task Write(HttpContext http, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        await WriteAsync(http, problem, exception: null);
    }

    private static async Task WriteAsync(HttpContext http, ProblemDetails problem, Exception? exception)
    {
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static IResult Precondition(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required");

    /// <summary>The failure table's answer as a problem body; a 400 on a write also says that nothing was written.</summary>
    public static ProblemDetails From(Failure failure, HttpContext http)
    {
        var writes = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        ProblemDetails problem = failure.Errors.Count > 0
            ? new HttpValidationProblemDetails(failure.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
            : new ProblemDetails();
        problem.Status = failure.Status;
        problem.Title = failure.Title;
        problem.Detail = writes && failure.Status == StatusCodes.Status400BadRequest ? $"{failure.Detail} Nothing was written." : failure.Detail;
        foreach (var (key, value) in failure.Extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    /// <summary>
    /// ASP.NET Core's exception handler calls this for every exception an endpoint throws. Each is logged once here:
    /// defects at error level with their stack trace, an unreachable database as a warning, a client's mistake and
    /// an expected write race (a stale version, a broken rule) at debug level only.
    /// </summary>
    public sealed class Handler(ILogger<Handler> log) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var http = httpContext;
            var failure = exception is BadHttpRequestException bad ? BindingErrors.Explain(bad, http) : FailureTable.Classify(exception);
            var correlation = CorrelationId(http);
            if (failure.IsUnexpected)
            {
                log.LogError(exception, "Unexpected error {CorrelationId} on {Method} {Path}", correlation, http.Request.Method, http.Request.Path.Value);
            }
            else if (failure.Status >= 500)
            {
                log.LogWarning("{Title} ({CorrelationId} on {Method} {Path}): {Message}", failure.Title, correlation, http.Request.Method, http.Request.Path.Value, exception.Message);
            }
            else if (log.IsEnabled(LogLevel.Debug))
            {
                log.LogDebug("{Status} {Title} ({CorrelationId} on {Method} {Path}): {Message}", failure.Status, failure.Title, correlation, http.Request.Method, http.Request.Path.Value, exception.Message);
            }

            if (http.Response.HasStarted)
            {
                return false;
            }

            await WriteAsync(http, From(failure, http), exception);
            return true;
        }
    }
}

/// <summary>A claim's version as an HTTP entity tag, and back.</summary>
public static class Etag
{
    public static string Of(long version) => $"\"{version}\"";

    public static long? Parse(string? header)
    {
        var text = header?.Trim();
        if (text is null || text.Length < 3 || text[0] != '"' || text[^1] != '"')
        {
            return null;
        }

        return long.TryParse(text[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;
    }
}
