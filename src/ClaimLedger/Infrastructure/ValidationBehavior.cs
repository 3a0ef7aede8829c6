using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>Validates every request before its handler runs, so no handler ever sees malformed input.</summary>
public sealed class ValidationBehavior<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        request is not null && RequestValidation.Check(request) is { Count: > 0 } errors
            ? throw new RequestValidationException(errors)
            : await next();
}
