using ClaimLedger.Common;
using ClaimLedger.Seeds;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClaimLedger.Api;

/// <summary>Every error as an RFC 9457 problem: the status, a title, what to do next, never a stack trace.</summary>
public static class Problems
{
    public static Task Write(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static IResult Precondition(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required");

    public static async ValueTask<bool> HandleAsync(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case RequestValidationException invalid:
                var errors = invalid.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new HttpValidationProblemDetails(errors)
                {
                    Status = 400, Title = "The request is not valid; nothing was written", Instance = context.Request.Path,
                }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
                return true;
            case NotFoundException missing:
                await Write(context, StatusCodes.Status404NotFound, $"No such {missing.What}", missing.Message);
                return true;
            case ClaimRuleException rule:
                await Write(context, StatusCodes.Status409Conflict, "A rule of the ledger forbids this", rule.Message, new Dictionary<string, object?> { ["rule"] = rule.Rule });
                return true;
            case VersionConflictException conflict:
                await Write(context, StatusCodes.Status412PreconditionFailed, "Someone changed the claim first", conflict.Message,
                    new Dictionary<string, object?> { ["currentVersion"] = conflict.CurrentVersion, ["expectedVersion"] = conflict.ExpectedVersion });
                return true;
            case SeedValidationException seeds:
                await Write(context, StatusCodes.Status400BadRequest, "The seeds are not valid", seeds.Message,
                    new Dictionary<string, object?> { ["problems"] = seeds.Problems.Select(p => p.ToString()).ToArray() });
                return true;
            case BadHttpRequestException bad:
                await Write(context, bad.StatusCode, bad.StatusCode == 413 ? "The request body is too large" : "The request could not be read",
                    bad.StatusCode == 413 ? "Send a smaller body." : bad.Message);
                return true;
            case Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DiskFull }:
                await Write(context, StatusCodes.Status503ServiceUnavailable, "The database is out of disk space", "Nothing was written. Try again once space has been freed.");
                return true;
            case Npgsql.NpgsqlException:
                await Write(context, StatusCodes.Status503ServiceUnavailable, "The database is unavailable", "Try again shortly.");
                return true;
            default:
                await Write(context, StatusCodes.Status500InternalServerError, "Unexpected error", "The error was logged on the server.");
                return true;
        }
    }

    /// <summary>Adapter for ASP.NET Core's exception handler middleware.</summary>
    public sealed class Handler : IExceptionHandler
    {
        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
            HandleAsync(httpContext, DatabaseFailure(exception) ?? exception);

        /// <summary>Marten wraps the driver's exceptions; the database's own failure is what the client needs to hear about.</summary>
        private static Npgsql.NpgsqlException? DatabaseFailure(Exception exception)
        {
            for (Exception? current = exception; current is not null; current = current.InnerException)
            {
                if (current is Npgsql.NpgsqlException database)
                {
                    return database;
                }
            }

            return null;
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
