using System.Diagnostics;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>Checks every event against its ledger entry, every chain link, and the tree against a kept digest and every published checkpoint.</summary>
public static class VerifyLedger
{
    public sealed record Query(Digest? Kept = null) : IRequest<Report>, IReadsSequencedLog;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Kept!.TreeSize).GreaterThanOrEqualTo(0).WithMessage("the number of entries the kept digest covers, 0 or more")
                .OverridePropertyName("treeSize").When(q => q.Kept is not null);
            RuleFor(q => q.Kept!.RootHash).Must(h => h is { Length: 64 } && h.All(char.IsAsciiHexDigit))
                .WithMessage("the kept digest's Merkle root: 64 hexadecimal digits").OverridePropertyName("rootHash").When(q => q.Kept is not null);
            RuleFor(q => q.Kept!.Claims).Must(c => c!.All(f => f.Key.Length > 0 && f.Value is { Length: > 0 } && f.Value.Length % Digest.FingerprintDigits == 0 && f.Value.All(char.IsAsciiHexDigit)))
                .WithMessage($"the kept digest's claims: each claim id with {Digest.FingerprintDigits} hexadecimal digits per entry").OverridePropertyName("claims")
                .When(q => q.Kept?.Claims is not null);
        }
    }

    /// <param name="Entries">The sequenced entries, the tree <see cref="Current"/> covers.</param>
    /// <param name="Unsequenced">Committed entries still waiting for a position: checked with their claims' chains, in no tree yet.</param>
    public sealed record Report(long Entries, long Unsequenced, long Events, int Claims, Digest Current, IReadOnlyList<LedgerBreak> Breaks, TimeSpan Elapsed)
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
            // One snapshot for every table, so an entry the sequencer moves meanwhile is seen exactly once.
            await using var snapshot = await rows.SnapshotAsync(cancellationToken);
            var at = snapshot.Rows;
            // Every checkpoint the log published is a digest kept in the database: the tree must still reach each one.
            var published = await at.StoredCheckpointsAsync(cancellationToken);
            if (await LedgerScan.TryConfirmIntactAsync(at, query.Kept, published, clock.GetUtcNow(), cancellationToken) is { } intact)
            {
                return new Report(intact.Entries, intact.Unsequenced, intact.Events, intact.Claims, intact.Current, await derivedBreaks, clockStart.Elapsed);
            }

            // Something does not fit: read everything and say exactly what broke, where.
            var entriesTask = at.EntriesAsync(cancellationToken);
            var queuedTask = at.QueuedEntriesAsync(cancellationToken);
            var eventsTask = at.EventsAsync(cancellationToken);
            var streamsTask = at.StreamVersionsAsync(cancellationToken);
            var (entries, queued, events, streams) = (await entriesTask, await queuedTask, await eventsTask, await streamsTask);
            var breaks = LedgerVerifier.Verify(entries, queued, events, streams, query.Kept).Concat(PublishedCheckpointCheck.Breaks(entries, published)).Concat(await derivedBreaks)
                .OrderBy(b => b.ClaimId, StringComparer.Ordinal).ThenBy(b => b.Version ?? long.MaxValue).ThenBy(b => b.Kind, StringComparer.Ordinal).ToList();
            return new Report(entries.Count, queued.Count, events.Count, streams.Keys.Count(LedgerStreamIds.IsClaim), Digest.Of(entries, entries.Count, clock.GetUtcNow()), breaks, clockStart.Elapsed);
        }
    }
}
