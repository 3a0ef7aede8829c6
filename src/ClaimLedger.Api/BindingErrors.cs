using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClaimLedger.Common;
using ClaimLedger.Failures;

namespace ClaimLedger.Api;

/// <summary>
/// Turns what ASP.NET Core says when it cannot bind a request ("Failed to bind parameter \"Nullable&lt;ClaimKind&gt; kind\"")
/// into the field and the form it expects, in the API's own words: no C# types, no handler signatures.
/// </summary>
public static partial class BindingErrors
{
    public static Failure Explain(BadHttpRequestException bad, HttpContext http)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Failure(413, ExitCodes.BadInput, "The request body is too large", "Send a smaller body.", bad);
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return Invalid(bad, 415, "Content-Type", "application/json");
        }

        if (bad.InnerException is JsonException json)
        {
            var field = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            return Invalid(bad, 400, field, JsonMessage(json));
        }

        var message = bad.Message;
        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return Invalid(bad, 400, name, $"{Expected(ParameterType(http, name))}; got '{Shorten(failed.Groups["value"].Value)}'");
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return missing.Groups["source"].Value.Contains("body", StringComparison.OrdinalIgnoreCase) || message.StartsWith("Implicit body", StringComparison.Ordinal)
                ? Invalid(bad, 400, "body", "a JSON object")
                : Invalid(bad, 400, name, $"required: {Expected(ParameterType(http, name))}");
        }

        return new Failure(bad.StatusCode, ExitCodes.BadInput, "The request could not be read", "See the API reference at /reference for the form of this request.", bad);
    }

    private static Failure Invalid(Exception e, int status, string field, string expected) =>
        new(status, ExitCodes.BadInput, "The request is not valid", "Every invalid field is listed with what was expected there.", e) { Errors = [new(field, expected)] };

    /// <summary>Messages the API's own converters wrote are kept; System.Text.Json's own name .NET types, so they are replaced.</summary>
    private static string JsonMessage(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut >= 0 ? message[..cut] : message;
        return message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal)
            ? "a value of the type this field takes (see the schema of this operation in /openapi/v1.json)"
            : json.Path is null or "$" ? $"a well-formed JSON object: {message}" : message;
    }

    private static Type? ParameterType(HttpContext http, string name) =>
        // The exception handler clears the endpoint before it runs; its feature keeps the one that failed.
        (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.OfType<MethodInfo>().SelectMany(m => m.GetParameters()).FirstOrDefault(p => p.Name == name)?.ParameterType;

    public static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(int) => $"a whole number from 1 to {int.MaxValue}",
            _ when type == typeof(long) => "a whole number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 time such as 2026-10-01T12:00:00Z",
            _ when type == typeof(DateOnly) => "a date such as 2023-02-22",
            _ when type == typeof(bool) => "true or false",
            _ => "a value of the documented form",
        };
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..99] + "…";

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""parameter "(?<type>.+?) ?(?<name>\w+)" (?:was not provided from|but no body was provided)(?<source>.*)$""", RegexOptions.Singleline)]
    private static partial Regex Missing();
}
