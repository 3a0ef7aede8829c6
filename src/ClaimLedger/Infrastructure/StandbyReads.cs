using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// The second ledger a process opens when it is asked to read from a standby: the same composition root over the same
/// hosts, preferring a standby (Npgsql falls back to the primary when no standby answers). Built on first use.
/// </summary>
public sealed class StandbyLedger(ClaimLedgerOptions options) : IAsyncDisposable
{
    /// <summary>
    /// Reads whose answer may trail the primary by the replication lag without misleading anyone: lists, history,
    /// replays and as-of views (history is append-only, so a late read is a true, earlier picture), and verification.
    /// A single claim's current state is not here: its version is the ETag the next write must match.
    /// </summary>
    public static readonly IReadOnlySet<Type> StaleTolerant = new HashSet<Type>
    {
        typeof(ListClaims.Query), typeof(ClaimHistory.Query), typeof(ClaimAsOf.Query), typeof(ClaimReplay.Query), typeof(ClaimDiff.Query),
        typeof(ListDocuments.Query), typeof(VerifyLedger.Query), typeof(GetDigest.Query),
    };

    private readonly Lazy<ServiceProvider> _provider = new(() => new ServiceCollection()
        .AddClaimLedger(options with
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { TargetSessionAttributes = "prefer-standby" }.ConnectionString,
            StaleReadsFromStandby = false,
            AutoCreateSchema = false,
        })
        .BuildServiceProvider());

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request, CancellationToken ct)
    {
        await using var scope = _provider.Value.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider.IsValueCreated)
        {
            await _provider.Value.DisposeAsync();
        }
    }
}

/// <summary>Sends a stale-tolerant read to <see cref="StandbyLedger"/> when the process was started with standby reads on.</summary>
public sealed class StandbyReadBehavior<TRequest, TResponse>(ClaimLedgerOptions options, IServiceProvider services) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        options.StaleReadsFromStandby && StandbyLedger.StaleTolerant.Contains(typeof(TRequest))
            ? services.GetRequiredService<StandbyLedger>().SendAsync((IRequest<TResponse>)request!, cancellationToken)
            : next();
}
