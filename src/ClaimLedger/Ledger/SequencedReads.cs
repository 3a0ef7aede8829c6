using MediatR;
using Npgsql;

namespace ClaimLedger.Ledger;

/// <summary>
/// A read of the log itself (digest, verification, proofs, checkpoints): it covers the sequenced prefix, so the
/// sequencer is flushed first and the read covers every entry committed before it began.
/// </summary>
public interface IReadsSequencedLog;

/// <summary>
/// Flushes the sequencer before a read of the log, on every entry point (CLI, server, tests), so a read never misses an
/// entry that committed before it only because no sequencer ran in between. On a standby, which cannot write, the read
/// goes on over what the primary has sequenced, and reports the rest as unsequenced.
/// </summary>
public sealed class SequencedReadBehavior<TRequest, TResponse>(LedgerSequencer sequencer)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IReadsSequencedLog)
        {
            try
            {
                await sequencer.FlushAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction)
            {
                // A standby: the read reports what is not sequenced yet.
            }
        }

        return await next();
    }
}
