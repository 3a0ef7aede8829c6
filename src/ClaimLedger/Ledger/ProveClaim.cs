using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>
/// An inclusion proof of one of a claim's entries (its latest unless a version is given) in the ledger's tree at a
/// given size (the current size unless given), carrying the entry's own fields so that a checker recomputes its hash.
/// </summary>
public static class ProveClaim
{
    /// <param name="Checkpoint">A signed checkpoint of size <paramref name="TreeSize"/> to carry along as the proof's trusted root.</param>
    public sealed record Query(string ClaimId, long? Version = null, long? TreeSize = null, string? Checkpoint = null) : IRequest<InclusionProof>, IReadsSequencedLog;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.ClaimId).MustBeSlug();
            RuleFor(q => q.Version).GreaterThan(0).When(q => q.Version is not null).WithMessage("a version of 1 or more");
            RuleFor(q => q.TreeSize).GreaterThan(0).When(q => q.TreeSize is not null).WithMessage("a tree size of 1 or more");
        }
    }

    public sealed class Handler(LedgerRows rows, TimeProvider clock) : IRequestHandler<Query, InclusionProof>
    {
        public async Task<InclusionProof> Handle(Query query, CancellationToken cancellationToken)
        {
            var entries = await rows.EntriesAsync(cancellationToken);
            var size = query.TreeSize ?? entries.Count;
            if (size > entries.Count)
            {
                throw new RequestValidationException([new("treeSize", $"a tree size up to the ledger's current {entries.Count:N0}; got {size:N0}")]);
            }

            var index = InclusionProof.IndexOf(entries, (int)size, query.ClaimId, query.Version);
            var leaves = entries.Take((int)size).Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray();
            var entryEvent = await rows.EventAsync(entries[index].EventId, cancellationToken)
                ?? throw new NotFoundException("event", $"{entries[index].EventId} (the ledger entry's event is gone: run claimledger audit verify)");
            return InclusionProof.Build(entries[index], entryEvent, leaves, index, query.Checkpoint, clock.GetUtcNow());
        }
    }
}
