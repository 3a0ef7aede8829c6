using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>
/// Signs a checkpoint that extends the latest one published (by this server or any other over the ledger) and
/// publishes it; the server does this at every interval. Returns the latest checkpoint then published, which is another
/// server's when that one published a larger tree meanwhile.
/// </summary>
public static class PublishCheckpoint
{
    public sealed record Command : IRequest<SignedCheckpoint>;

    public sealed class Handler(IMediator mediator, PublishedCheckpoints published) : IRequestHandler<Command, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Command command, CancellationToken cancellationToken)
        {
            var latest = await published.LatestAsync(cancellationToken);
            var signed = await mediator.Send(new SignCheckpoint.Command(latest?.Checkpoint), cancellationToken);
            return await published.PublishAsync(signed, cancellationToken);
        }
    }
}
