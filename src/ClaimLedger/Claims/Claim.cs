namespace ClaimLedger.Claims;

public enum Stance { Supports, Contradicts, Mentions }

/// <summary>The one rating scale of the ledger, from best to worst, with Unverifiable outside it.</summary>
public enum Rating { True, MostlyTrue, HalfTrue, MostlyFalse, False, Unverifiable }

public enum ClaimStatus { Recorded, Corroborated, Disputed, Rated, Retracted }

/// <summary>A source reference checked against its document, with the publisher that independence is judged by.</summary>
public sealed record ClaimSource(string DocumentId, string Publisher, int Start, int End, string Excerpt)
{
    public bool IsSameSpan(ClaimSource other) =>
        DocumentId == other.DocumentId && Start == other.Start && End == other.End;
}

/// <summary>What every event of a claim carries: the claim, the person who acted, and the time the ledger took as the time of the act.</summary>
public interface IClaimEvent
{
    string ClaimId { get; }
    string Actor { get; }
    DateTimeOffset At { get; }
}

public sealed record ClaimRecorded(string ClaimId, string Statement, ClaimValue Value, ClaimSource Appearance, string Actor, DateTimeOffset At) : IClaimEvent;

public sealed record SourceAttached(string ClaimId, ClaimSource Source, Stance Stance, string? Reason, string Actor, DateTimeOffset At) : IClaimEvent;

/// <summary>An independent publisher confirms the claim.</summary>
public sealed record ClaimCorroborated(string ClaimId, ClaimSource Source, string? Reason, string Actor, DateTimeOffset At) : IClaimEvent;

public sealed record ClaimDisputed(string ClaimId, string Reason, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At) : IClaimEvent;

/// <param name="Field">"statement" or a field of the claim's value, such as "amount".</param>
public sealed record ClaimCorrected(string ClaimId, string Field, string? OldValue, string? NewValue, string Reason, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At) : IClaimEvent;

/// <param name="Supersedes">The rating this verdict replaces, when the claim had one; both stay in the history.</param>
public sealed record VerdictIssued(string ClaimId, Rating Rating, string Rationale, IReadOnlyList<ClaimSource> Evidence, Rating? Supersedes, string Actor, DateTimeOffset At) : IClaimEvent;

public sealed record ClaimRetracted(string ClaimId, string Reason, string Actor, DateTimeOffset At) : IClaimEvent;

public enum MatchDecision { Confirmed, Rejected }

/// <summary>
/// A checker confirmed or rejected that the claim says the same as an earlier check: another desk claim or another
/// fact-checker's review (<paramref name="MatchedKind"/> "Claim" or "Review"). Only the claim the checker was working on
/// (<paramref name="DecidedOn"/>) carries the event so far; the other claim of a desk-claim match does not yet.
/// </summary>
public sealed record MatchDecided(
    string ClaimId, string MatchedKind, string MatchedId, MatchDecision Decision, string Reason, string DecidedOn,
    string Actor, DateTimeOffset At) : IClaimEvent;

public sealed record AttachedSource(ClaimSource Source, Stance Stance, bool Corroborates, string Actor, DateTimeOffset At);

public sealed record Verdict(Rating Rating, string Rationale, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At);

/// <summary>
/// A claim as the ledger knows it after some prefix of its stream. Built only by <see cref="ClaimEvolution.Evolve"/>,
/// for the inline read model and for replays as of any version or time alike.
/// </summary>
public sealed record Claim
{
    public required string Id { get; init; }
    public long Version { get; init; }
    public required string Statement { get; init; }
    public required ClaimValue Value { get; init; }
    public ClaimKind Kind => Value.Kind;
    public required ClaimSource Appearance { get; init; }
    public IReadOnlyList<AttachedSource> Sources { get; init; } = [];
    /// <summary>Every publisher on the claim, its first appearance's first: what the list filters on.</summary>
    public IReadOnlyList<string> Publishers { get; init; } = [];
    public ClaimStatus Status { get; init; }
    public Verdict? Verdict { get; init; }
    public IReadOnlyList<Verdict> EarlierVerdicts { get; init; } = [];
    /// <summary>Pieces of evidence other than the first appearance: attached sources and evidence cited in disputes, corrections and verdicts.</summary>
    public int EvidenceCount { get; init; }
    public int CorrectionCount { get; init; }
    public string? RetractionReason { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }

    public bool IsRetracted => Status == ClaimStatus.Retracted;

    internal Claim Next(DateTimeOffset at) => this with { Version = Version + 1, LastChangedAt = at };

    internal IReadOnlyList<string> WithPublisher(string publisher) =>
        Publishers.Contains(publisher) ? Publishers : [.. Publishers, publisher];

    internal ClaimValue ValueWith(string field, string? newValue)
    {
        // The correction was parsed and checked when it was decided; replaying it cannot fail.
        var errors = new List<Common.FieldError>();
        return ClaimValues.With(Value, field, newValue, errors, "newValue")
            ?? throw new InvalidOperationException($"Stored correction of '{field}' on claim {Id} does not apply: {string.Join("; ", errors)}");
    }
}

/// <summary>Every span an event of a claim cites: its appearance, a source, or the evidence given with it.</summary>
public static class CitedSpans
{
    public static IReadOnlyList<ClaimSource> Of(object @event) => @event switch
    {
        ClaimRecorded e => [e.Appearance],
        SourceAttached e => [e.Source],
        ClaimCorroborated e => [e.Source],
        ClaimDisputed e => e.Evidence,
        ClaimCorrected e => e.Evidence,
        VerdictIssued e => e.Evidence,
        _ => [],
    };
}

/// <summary>
/// The one way a claim's state moves forward: a pure function of the state so far and the next event.
/// Kept outside <see cref="Claim"/> so Marten's conventions do not mistake it for an aggregate method.
/// </summary>
public static class ClaimEvolution
{
    public static Claim? Evolve(Claim? claim, object @event) => (claim, @event) switch
    {
        (null, ClaimRecorded e) => new Claim
        {
            Id = e.ClaimId,
            Version = 1,
            Statement = e.Statement,
            Value = e.Value,
            Appearance = e.Appearance,
            Publishers = [e.Appearance.Publisher],
            Status = ClaimStatus.Recorded,
            RecordedBy = e.Actor,
            RecordedAt = e.At,
            LastChangedAt = e.At,
        },
        (null, _) => null,
        ({ } c, SourceAttached e) => c.Next(e.At) with
        {
            Sources = [.. c.Sources, new AttachedSource(e.Source, e.Stance, false, e.Actor, e.At)],
            Publishers = c.WithPublisher(e.Source.Publisher),
            EvidenceCount = c.EvidenceCount + 1,
        },
        ({ } c, ClaimCorroborated e) => c.Next(e.At) with
        {
            Sources = [.. c.Sources, new AttachedSource(e.Source, Stance.Supports, true, e.Actor, e.At)],
            Publishers = c.WithPublisher(e.Source.Publisher),
            EvidenceCount = c.EvidenceCount + 1,
            Status = c.Status == ClaimStatus.Recorded ? ClaimStatus.Corroborated : c.Status,
        },
        ({ } c, ClaimDisputed e) => c.Next(e.At) with
        {
            Status = ClaimStatus.Disputed,
            EvidenceCount = c.EvidenceCount + e.Evidence.Count,
        },
        ({ } c, ClaimCorrected e) => c.Next(e.At) with
        {
            Statement = e.Field == "statement" ? e.NewValue ?? c.Statement : c.Statement,
            Value = e.Field == "statement" ? c.Value : c.ValueWith(e.Field, e.NewValue),
            CorrectionCount = c.CorrectionCount + 1,
            EvidenceCount = c.EvidenceCount + e.Evidence.Count,
        },
        ({ } c, VerdictIssued e) => c.Next(e.At) with
        {
            Verdict = new Verdict(e.Rating, e.Rationale, e.Evidence, e.Actor, e.At),
            EarlierVerdicts = c.Verdict is null ? c.EarlierVerdicts : [.. c.EarlierVerdicts, c.Verdict],
            Status = ClaimStatus.Rated,
            EvidenceCount = c.EvidenceCount + e.Evidence.Count,
        },
        ({ } c, ClaimRetracted e) => c.Next(e.At) with
        {
            Status = ClaimStatus.Retracted,
            RetractionReason = e.Reason,
        },
        ({ } c, MatchDecided e) => c.Next(e.At),
        ({ } c, _) => c,
    };
}
