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

/// <summary>An inclusion proof of a claim's latest ledger entry in the current tree, checkable offline.</summary>
public static class ProveClaim
{
    public sealed record Query(string ClaimId) : IRequest<InclusionProof>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(LedgerRows rows, TimeProvider clock) : IRequestHandler<Query, InclusionProof>
    {
        public async Task<InclusionProof> Handle(Query query, CancellationToken cancellationToken)
        {
            var entries = await rows.EntriesAsync(cancellationToken);
            return InclusionProof.Build(entries, entries.Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray(), query.ClaimId, clock.GetUtcNow());
        }
    }
}

/// <summary>Proof that the entry with <see cref="EntryHash"/> is leaf <see cref="LeafIndex"/> of the tree with <see cref="RootHash"/>.</summary>
public sealed record InclusionProof(
    string Format, string ClaimId, long Version, long LeafIndex, long TreeSize, string EntryHash, string RootHash,
    IReadOnlyList<string> AuditPath, DateTimeOffset ComputedAt)
{
    public const string CurrentFormat = "claimledger-inclusion-proof/1";

    /// <summary>The proof of <paramref name="claimId"/>'s latest entry, given the ledger's entries and their leaf hashes.</summary>
    public static InclusionProof Build(IReadOnlyList<EntryRow> entries, IReadOnlyList<byte[]> leaves, string claimId, DateTimeOffset at)
    {
        var index = -1;
        for (var i = entries.Count - 1; i >= 0 && index < 0; i--)
        {
            index = entries[i].StreamId == claimId ? i : -1;
        }

        if (index < 0)
        {
            throw new NotFoundException("claim", claimId);
        }

        return new InclusionProof(
            CurrentFormat, claimId, entries[index].Version, index, entries.Count,
            Convert.ToHexStringLower(entries[index].EntryHash),
            Convert.ToHexStringLower(MerkleTree.Root(leaves)),
            MerkleTree.InclusionProof(leaves, index).Select(Convert.ToHexStringLower).ToArray(),
            at);
    }

    /// <summary>Checks the proof with no database: the entry, hashed as a leaf and walked up the path, must reach the root.</summary>
    public bool Verify(Digest? against = null)
    {
        if (Format != CurrentFormat || !IsHash(EntryHash) || !IsHash(RootHash) || AuditPath.Any(p => !IsHash(p)))
        {
            return false;
        }

        if (against is not null && (against.TreeSize != TreeSize || !string.Equals(against.RootHash, RootHash, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return MerkleTree.VerifyInclusion(LeafIndex, TreeSize, MerkleTree.LeafHash(Convert.FromHexString(EntryHash)),
            AuditPath.Select(Convert.FromHexString).ToArray(), Convert.FromHexString(RootHash));
    }

    private static bool IsHash(string? hex) => hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit);
}
