using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A ledger process of a test's own, over a cluster the test started itself (the shared <see cref="LedgerFixture"/> runs on
/// the common one): the composition root, and each request sent in a scope of its own, as the CLI and the API send them.
/// </summary>
internal sealed class OwnLedger : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private OwnLedger(ClaimLedgerOptions options) => _provider = new ServiceCollection().AddClaimLedger(options).BuildServiceProvider();

    /// <param name="createSchema">False for a process that finds the schema an earlier one created.</param>
    public static async Task<OwnLedger> StartAsync(ClaimLedgerOptions options, bool createSchema = true)
    {
        var ledger = new OwnLedger(options);
        if (createSchema)
        {
            await ledger._provider.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        return ledger;
    }

    public async Task<T> SendAsync<T>(IRequest<T> request, CancellationToken ct = default)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
