using ClaimLedger.Claims;
using JasperFx.Events;
using Marten;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// Many writes in one session and one commit, for the importer: while a batch is open, <see cref="ClaimWriter"/>
/// appends to it instead of saving each write, and keeps each touched claim's state by evolving it in memory,
/// because a claim's unsaved events are not visible to a fresh fetch.
/// </summary>
public sealed class WriteBatch : IAsyncDisposable
{
    internal sealed record Touched(IEventStream<Claim>? Stream, Claim State, byte[] LastEntryHash);

    internal IDocumentSession? Session { get; private set; }
    internal Dictionary<string, Touched> Claims { get; } = [];
    public int PendingWrites { get; internal set; }

    public void Begin(IDocumentStore store)
    {
        if (Session is not null)
        {
            throw new InvalidOperationException("A write batch is already open.");
        }

        Session = store.LightweightSession();
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        if (Session is null)
        {
            return;
        }

        await Session.SaveChangesAsync(ct);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }

        Session = null;
        Claims.Clear();
        PendingWrites = 0;
    }
}
