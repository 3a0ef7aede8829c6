using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>How far the sequenced log has got, and how many committed entries wait for their positions, for how long.</summary>
public static class GetSequencerStatus
{
    public sealed record Query : IRequest<SequencerStatus>;

    public sealed class Handler(LedgerSequencer sequencer) : IRequestHandler<Query, SequencerStatus>
    {
        public Task<SequencerStatus> Handle(Query query, CancellationToken cancellationToken) => sequencer.StatusAsync(cancellationToken);
    }
}

/// <summary>Numbers every committed entry still waiting (what the server's sequencer does continuously), then reports.</summary>
public static class SequenceLedger
{
    public sealed record Result(long Sequenced, SequencerStatus Status);

    public sealed record Command : IRequest<Result>;

    public sealed class Handler(LedgerSequencer sequencer) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var moved = await sequencer.FlushAsync(cancellationToken);
            return new Result(moved, await sequencer.StatusAsync(cancellationToken));
        }
    }
}
