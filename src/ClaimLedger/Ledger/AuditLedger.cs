using System.Diagnostics;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>The current digest of the whole ledger, for an auditor to keep outside the database.</summary>
public static class GetDigest
{
    public sealed record Query : IRequest<Digest>;

    public sealed class Handler(LedgerRows rows, TimeProvider clock) : IRequestHandler<Query, Digest>
    {
        public async Task<Digest> Handle(Query query, CancellationToken cancellationToken)
        {
            var entries = await rows.EntriesAsync(cancellationToken);
            return Digest.Of(entries, entries.Count, clock.GetUtcNow());
        }
    }
}

/// <summary>Checks every event against its ledger entry, every chain link, and the tree against a kept digest.</summary>
public static class VerifyLedger
{
    public sealed record Query(Digest? Kept = null) : IRequest<Report>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Kept!.TreeSize).GreaterThanOrEqualTo(0).WithMessage("the number of entries the kept digest covers, 0 or more")
                .OverridePropertyName("treeSize").When(q => q.Kept is not null);
            RuleFor(q => q.Kept!.RootHash).Must(h => h is { Length: 64 } && h.All(char.IsAsciiHexDigit))
                .WithMessage("the kept digest's Merkle root: 64 hexadecimal digits").OverridePropertyName("rootHash").When(q => q.Kept is not null);
        }
    }

    public sealed record Report(long Entries, long Events, int Claims, Digest Current, IReadOnlyList<LedgerBreak> Breaks, TimeSpan Elapsed)
    {
        public bool Intact => Breaks.Count == 0;
    }

    public sealed class Handler(LedgerRows rows, DerivedStateCheck derived, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query query, CancellationToken cancellationToken)
        {
            var clockStart = Stopwatch.StartNew();
            // What readers are served beyond the hashed events is derived again from them, alongside the hash checks.
            var derivedBreaks = derived.RunAsync(cancellationToken);
            if (await LedgerScan.TryConfirmIntactAsync(rows, query.Kept, clock.GetUtcNow(), cancellationToken) is { } intact)
            {
                return new Report(intact.Entries, intact.Events, intact.Claims, intact.Current, await derivedBreaks, clockStart.Elapsed);
            }

            // Something does not fit: read everything and say exactly what broke, where.
            var entriesTask = rows.EntriesAsync(cancellationToken);
            var eventsTask = rows.EventsAsync(cancellationToken);
            var streamsTask = rows.StreamVersionsAsync(cancellationToken);
            var (entries, events, streams) = (await entriesTask, await eventsTask, await streamsTask);
            var breaks = LedgerVerifier.Verify(entries, events, streams, query.Kept).Concat(await derivedBreaks)
                .OrderBy(b => b.ClaimId, StringComparer.Ordinal).ThenBy(b => b.Version ?? long.MaxValue).ThenBy(b => b.Kind, StringComparer.Ordinal).ToList();
            return new Report(entries.Count, events.Count, streams.Count, Digest.Of(entries, entries.Count, clock.GetUtcNow()), breaks, clockStart.Elapsed);
        }
    }
}

/// <summary>
/// An inclusion proof of one of a claim's entries (its latest unless a version is given) in the ledger's tree at a
/// given size (the current size unless given), carrying the entry's own fields so that a checker recomputes its hash.
/// </summary>
public static class ProveClaim
{
    /// <param name="Checkpoint">A signed checkpoint of size <paramref name="TreeSize"/> to carry along as the proof's trusted root.</param>
    public sealed record Query(string ClaimId, long? Version = null, long? TreeSize = null, string? Checkpoint = null) : IRequest<InclusionProof>;

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
