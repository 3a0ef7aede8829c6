using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>Validates every request before its handler runs, so no handler ever sees malformed input.</summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var errors = new List<FieldError>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            errors.AddRange(result.Errors.Select(f => new FieldError(ToCamelCase(f.PropertyName), f.ErrorMessage)));
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : await next();
    }

    private static string ToCamelCase(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
