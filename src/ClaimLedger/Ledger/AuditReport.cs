using ClaimLedger.Claims;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Ledger;

/// <summary>
/// Everything an auditor needs about one claim, or all of them, in one document: the claim now, its timeline with
/// actors and reasons, the evidence cited with its excerpts, its verdict history, and the verification result.
/// </summary>
public static class AuditReport
{
    /// <param name="ClaimId">One claim, or null for every claim in the ledger.</param>
    public sealed record Query(string? ClaimId) : IRequest<Report>, IReadsSequencedLog;

    public sealed record Report(DateTimeOffset GeneratedAt, Digest Digest, bool LedgerIntact, int LedgerBreaks, IReadOnlyList<ClaimSection> Claims);

    public sealed record ClaimSection(
        Claim Claim, IReadOnlyList<ClaimHistory.Entry> Timeline, IReadOnlyList<string> Actors, IReadOnlyList<ClaimSource> Evidence,
        IReadOnlyList<Verdict> Verdicts, IReadOnlyList<LedgerBreak> Breaks, InclusionProof? Proof, bool ProofHolds)
    {
        public bool Intact => Breaks.Count == 0 && ProofHolds;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug().When(q => q.ClaimId is not null);
    }

    public sealed class Handler(IMediator mediator, LedgerRows rows, DerivedStateCheck derived, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query query, CancellationToken cancellationToken)
        {
            var ids = query.ClaimId is { } one
                ? [(await mediator.Send(new GetClaim.Query(one), cancellationToken)).Id]
                : await AllClaimIdsAsync(cancellationToken);

            // One read of the rows serves the verification, the digest and every proof, so they describe the same ledger.
            await using var snapshot = await rows.SnapshotAsync(cancellationToken);
            var at = snapshot.Rows;
            var (entries, queued, events, streams) = (await at.EntriesAsync(cancellationToken), await at.QueuedEntriesAsync(cancellationToken),
                await at.EventsAsync(cancellationToken), await at.StreamVersionsAsync(cancellationToken));
            var breaks = LedgerVerifier.Verify(entries, queued, events, streams, kept: null)
                .Concat(PublishedCheckpointCheck.Breaks(entries, await at.StoredCheckpointsAsync(cancellationToken)))
                .Concat(await derived.RunAsync(cancellationToken)).ToList();
            var leaves = entries.Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray();
            var eventsById = events.DistinctBy(e => e.Id).ToDictionary(e => e.Id);
            var sections = new List<ClaimSection>(ids.Count);
            foreach (var id in ids)
            {
                var history = await mediator.Send(new ClaimHistory.Query(id), cancellationToken);
                var claim = ClaimReplay.Replay(history).Last().State;
                var index = InclusionProof.IndexOf(entries, entries.Count, id, version: null);
                var proof = eventsById.TryGetValue(entries[index].EventId, out var entryEvent)
                    ? InclusionProof.Build(entries[index], entryEvent, leaves, index, checkpoint: null, clock.GetUtcNow())
                    : null;
                sections.Add(new ClaimSection(
                    claim, history,
                    history.Select(h => h.Actor).Distinct().ToList(),
                    EvidenceOf(claim, history),
                    [.. claim.EarlierVerdicts, .. claim.Verdict is null ? [] : new[] { claim.Verdict }],
                    breaks.Where(b => b.ClaimId == id || b.ClaimId == "*").ToList(),
                    proof, proof?.PathDefect() is null && proof is not null));
            }

            return new Report(clock.GetUtcNow(), Digest.Of(entries, entries.Count, clock.GetUtcNow()), breaks.Count == 0, breaks.Count, sections);
        }

        private async Task<List<string>> AllClaimIdsAsync(CancellationToken ct)
        {
            var ids = new List<string>();
            for (var page = 1; ; page++)
            {
                var batch = await mediator.Send(new ListClaims.Query(Page: page, PageSize: ListClaims.MaxPageSize), ct);
                ids.AddRange(batch.Items.Select(c => c.Id));
                if (page >= batch.PageCount)
                {
                    return ids;
                }
            }
        }
    }

    /// <summary>Every distinct span the claim's history cites: its appearance, attached sources and evidence of each act.</summary>
    private static List<ClaimSource> EvidenceOf(Claim claim, IEnumerable<ClaimHistory.Entry> history)
    {
        var cited = new List<ClaimSource> { claim.Appearance };
        foreach (var entry in history)
        {
            cited.AddRange(CitedSpans.Of(entry.Data));
        }

        return cited.DistinctBy(s => (s.DocumentId, s.Start, s.End)).ToList();
    }
}
