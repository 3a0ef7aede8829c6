using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimLedger.Tests;

/// <summary>
/// With standby reads on, a read that may trail the primary goes to the standby ledger and never down the primary's
/// pipeline; a claim's current state, whose version the next write must match, always takes the primary's.
/// The standby here is a port nobody listens on, so a read sent there fails instead of answering.
/// </summary>
public class StandbyReadTests
{
    private const string NobodyListens = "Host=127.0.0.1;Port=1;Database=claimledger;Username=nobody;Timeout=1;Pooling=false";

    private static async Task<bool> ReachesPrimaryAsync<TRequest, TResponse>(TRequest request, bool standbyReads, TResponse answer)
        where TRequest : MediatR.IRequest<TResponse>
    {
        var options = new ClaimLedgerOptions(NobodyListens, StaleReadsFromStandby: standbyReads);
        await using var services = new ServiceCollection().AddSingleton(new StandbyLedger(options)).BuildServiceProvider();
        var primary = false;
        try
        {
            await new StandbyReadBehavior<TRequest, TResponse>(options, services).Handle(request, CancellationToken.None, () =>
            {
                primary = true;
                return Task.FromResult(answer);
            });
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // The standby ledger tried the port nobody listens on.
        }

        return primary;
    }

    [Fact]
    public async Task a_list_goes_to_the_standby_only_when_standby_reads_are_on()
    {
        Assert.False(await ReachesPrimaryAsync(new ListClaims.Query(), standbyReads: true, new ListClaims.ClaimPage([], 0, 1, 20)));
        Assert.True(await ReachesPrimaryAsync(new ListClaims.Query(), standbyReads: false, new ListClaims.ClaimPage([], 0, 1, 20)));
    }

    [Fact]
    public async Task a_claims_current_state_always_comes_from_the_primary()
    {
        Assert.True(await ReachesPrimaryAsync<GetClaim.Query, Claim>(new GetClaim.Query("claim-1"), standbyReads: true, null!));
    }
}
