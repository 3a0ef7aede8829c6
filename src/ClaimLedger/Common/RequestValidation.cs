using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using FluentValidation.Results;

namespace ClaimLedger.Common;

/// <summary>
/// The one way a request is checked against its validators, whatever sends it: the MediatR pipeline for the CLI, the API
/// and the web app, and the seed importer for every entry it reads. Nothing is decided or written for a request that fails.
/// </summary>
public static class RequestValidation
{
    private static readonly Lazy<ILookup<Type, Type>> ValidatorTypes = new(() =>
        typeof(RequestValidation).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
                .Select(i => (Request: i.GetGenericArguments()[0], Validator: t)))
            .ToLookup(pair => pair.Request, pair => pair.Validator));

    /// <summary>
    /// Built once per request type, as a typed call: building a validator compiles its rules, and validating through the
    /// untyped interface wraps every call in a new context, each of which costs more than running the rules.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, Func<object, IEnumerable<ValidationFailure>>> Validators = new();

    /// <summary>Every invalid field of the request, named as the user wrote it (camelCase paths), with what was expected.</summary>
    public static IReadOnlyList<FieldError> Check(object request) =>
        Validators.GetOrAdd(request.GetType(), Build)(request)
            .Select(failure => new FieldError(ToCamelCase(failure.PropertyName), failure.ErrorMessage))
            .ToList();

    private static Func<object, IEnumerable<ValidationFailure>> Build(Type requestType)
    {
        var typed = typeof(RequestValidation).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(requestType);
        var checks = ValidatorTypes.Value[requestType]
            .Select(type => (Func<object, IEnumerable<ValidationFailure>>)typed.Invoke(null, [Activator.CreateInstance(type)])!)
            .ToArray();
        return request => checks.SelectMany(check => check(request));
    }

    private static Func<object, IEnumerable<ValidationFailure>> Typed<T>(IValidator<T> validator) => request => validator.Validate((T)request).Errors;

    private static string ToCamelCase(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
