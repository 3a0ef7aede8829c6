using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>The current digest of the whole ledger, with each claim's entry fingerprints, for an auditor to keep outside the database.</summary>
public static class GetDigest
{
    public sealed record Query : IRequest<Digest>, IReadsSequencedLog;

    public sealed class Handler(LedgerRows rows, TimeProvider clock) : IRequestHandler<Query, Digest>
    {
        public async Task<Digest> Handle(Query query, CancellationToken cancellationToken)
        {
            var entries = await rows.EntriesAsync(cancellationToken);
            return Digest.WithClaims(entries, entries.Count, clock.GetUtcNow());
        }
    }
}
