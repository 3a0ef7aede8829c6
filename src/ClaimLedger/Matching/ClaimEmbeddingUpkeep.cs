using ClaimLedger.Common;
using ClaimLedger.Claims;
using ClaimLedger.Operations;
using ClaimLedger.Seeds;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClaimLedger.Matching;

/// <summary>
/// Embeds a claim's statement once a write that can change it has committed, whichever entry point sent it: recording,
/// correcting the statement, a seed import, and <c>db rebuild</c>, which embeds everything again. Steps inside an import
/// are left to the import's own turn at the end. The write has committed by then, so a failure here is logged rather
/// than reported as a failed write; <see cref="EmbedClaims"/> picks up whatever is stale on its next run.
/// </summary>
public sealed class ClaimEmbeddingUpkeep<TRequest, TResponse>(IServiceProvider services) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        EmbedClaims.Command? upkeep = (request, response) switch
        {
            (RecordClaim.Command { Context.Import: null }, WriteResult written) => new(written.ClaimId),
            (AmendRecord.Command { Context.Import: null, Field: ClaimFieldNames.Statement }, WriteResult written) => new(written.ClaimId),
            (ImportSeeds.Command, _) => new(),
            (RebuildReadModels.Command, _) => new(Everything: true),
            _ => null,
        };

        if (upkeep is not null)
        {
            try
            {
                await services.GetRequiredService<IMediator>().Send(upkeep, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                services.GetService<ILogger<EmbedClaims.Command>>()?.LogError(e, "Embedding claims for matching failed after {Request}; the next write or db rebuild retries", typeof(TRequest).Name);
            }
        }

        return response;
    }
}
