using System.Reflection;
using ClaimLedger.Common;

namespace ClaimLedger.Api.Endpoints;

/// <summary>
/// A query parameter an operation does not take is refused with 400 rather than ignored, so a misspelt filter
/// (<c>?search=</c> for <c>?q=</c>) never silently returns every claim.
/// </summary>
public static class QueryParameters
{
    public static TBuilder RefuseUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var taken = context.MethodInfo.GetParameters().Where(IsQueryValue).Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var expected = taken.Count == 0 ? "this operation takes no query parameters" : $"not a parameter of this operation, which takes {string.Join(", ", taken)}";
            return invocation =>
            {
                if (invocation.HttpContext.Request.Query.Count == 0)
                {
                    return next(invocation);
                }

                var unknown = invocation.HttpContext.Request.Query.Keys.Where(k => !taken.Contains(k)).ToList();
                return unknown.Count == 0
                    ? next(invocation)
                    : throw new RequestValidationException(unknown.Select(k => new FieldError(k, expected)).ToArray());
            };
        });

    private static bool IsQueryValue(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return parameter.Name is not null && parameter.Name != "id"
            && (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateOnly));
    }
}

/// <summary>Marks a write that needs <c>If-Match</c> with the claim's ETag.</summary>
public sealed record RequiresIfMatch;

/// <summary>Marks a write that takes an <c>Idempotency-Key</c>.</summary>
public sealed record IdempotentWrite;

/// <summary>Marks an operation whose successful answer carries the claim's version as <c>ETag</c>.</summary>
public sealed record ReturnsEtag;
