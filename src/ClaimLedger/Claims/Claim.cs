namespace ClaimLedger.Claims;

public enum Stance { Supports, Contradicts, Mentions }

/// <summary>
/// What a verdict concludes: the five ratings of the ledger's scale, best to worst, then two outcomes outside it.
/// Unverifiable says the facts could not be settled from the sources tried; Opinion says there is nothing to rate.
/// </summary>
public enum Rating { True, MostlyTrue, HalfTrue, MostlyFalse, False, Unverifiable, Opinion }

/// <summary>Whether a quote was said as reported, apart from whether what it says is true.</summary>
public enum Attribution { Accurate, Paraphrase, Misquoted, Misattributed, NotFound }

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

/// <summary>
/// Written before findings existed, when a correction overwrote the claim. Never appended any more: stored ones are read
/// as <see cref="FindingRecorded"/> through the store's upcasting (<see cref="ClaimEventUpcasts"/>).
/// </summary>
/// <param name="Field">"statement" or a field of the claim's value, such as "amount".</param>
public sealed record ClaimCorrected(string ClaimId, string Field, string? OldValue, string? NewValue, string Reason, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At) : IClaimEvent;

/// <summary>
/// The ledger's own record of the claim was wrong: the recorder misread the article. Changes what the claim says it
/// claimed, citing the article's text it was read from.
/// </summary>
/// <param name="Field">"statement" or a field of the claim's value.</param>
/// <param name="Appearance">The span of the appearance's document the amended record is read from.</param>
public sealed record ClaimRecordAmended(
    string ClaimId, string Field, string? OldValue, string? NewValue, string Reason, ClaimSource Appearance, string Actor, DateTimeOffset At) : IClaimEvent;

/// <summary>What the evidence establishes for one field of the claim; the claim as published stays as it was.</summary>
/// <param name="Field">"statement" or a field of the claim's value, such as "date".</param>
/// <param name="Claimed">The field as the claim stated it when the finding was made.</param>
/// <param name="Established">The field as the evidence establishes it (the same as claimed when the evidence confirms it).</param>
public sealed record FindingRecorded(
    string ClaimId, string Field, string? Claimed, string? Established, string Note, IReadOnlyList<ClaimSource> Evidence,
    string Actor, DateTimeOffset At) : IClaimEvent;

/// <summary>Whether a quote was said as reported, with the evidence, or with what was searched when it was not found.</summary>
public sealed record AttributionChecked(
    string ClaimId, Attribution Result, string Note, IReadOnlyList<ClaimSource> Evidence, IReadOnlyList<string> SourcesTried,
    string Actor, DateTimeOffset At) : IClaimEvent;

/// <param name="Supersedes">The rating this verdict replaces, when the claim had one; both stay in the history.</param>
/// <param name="SourcesTried">What was searched, for an Unverifiable verdict; null on verdicts stored before it was asked.</param>
public sealed record VerdictIssued(
    string ClaimId, Rating Rating, string Rationale, IReadOnlyList<ClaimSource> Evidence, Rating? Supersedes, string Actor, DateTimeOffset At,
    IReadOnlyList<string>? SourcesTried = null) : IClaimEvent;

public sealed record ClaimRetracted(string ClaimId, string Reason, string Actor, DateTimeOffset At) : IClaimEvent;

public enum MatchDecision { Confirmed, Rejected }

/// <summary>
/// A checker confirmed or rejected that the claim says the same as an earlier check: another desk claim or another
/// fact-checker's review (<paramref name="MatchedKind"/> "Claim" or "Review"). A match between two desk claims is on
/// both streams, written together; <paramref name="DecidedOn"/> names the claim the checker was working on.
/// </summary>
public sealed record MatchDecided(
    string ClaimId, string MatchedKind, string MatchedId, MatchDecision Decision, string Reason, string DecidedOn,
    string Actor, DateTimeOffset At) : IClaimEvent;

public sealed record AttachedSource(ClaimSource Source, Stance Stance, bool Corroborates, string Actor, DateTimeOffset At);

public sealed record Verdict(Rating Rating, string Rationale, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At, IReadOnlyList<string>? SourcesTried = null);

/// <summary>A finding on one field: what was claimed beside what the evidence establishes.</summary>
public sealed record Finding(string Field, string? Claimed, string? Established, string Note, IReadOnlyList<ClaimSource> Evidence, string Actor, DateTimeOffset At)
{
    /// <summary>True when the evidence establishes something other than what was claimed.</summary>
    public bool Differs => !string.Equals(Claimed, Established, StringComparison.Ordinal);
}

public sealed record AttributionCheck(Attribution Result, string Note, IReadOnlyList<ClaimSource> Evidence, IReadOnlyList<string> SourcesTried, string Actor, DateTimeOffset At);

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
    /// <summary>Every finding, oldest first; a later finding on a field supersedes an earlier one in <see cref="Established"/>.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    /// <summary>The latest finding on each field, in the order the fields were first examined.</summary>
    public IReadOnlyList<Finding> Established { get; init; } = [];
    /// <summary>True when a field's latest finding establishes something other than what was claimed.</summary>
    public bool DiffersFromClaimed { get; init; }
    public AttributionCheck? Attribution { get; init; }
    /// <summary>Pieces of evidence other than the first appearance: attached sources and evidence cited in disputes, findings, attribution checks and verdicts.</summary>
    public int EvidenceCount { get; init; }
    /// <summary>How often the ledger's own record of the claim was amended because it had been misread.</summary>
    public int AmendmentCount { get; init; }
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
        // The amendment was parsed and checked when it was decided; replaying it cannot fail.
        var errors = new List<Common.FieldError>();
        return ClaimValues.With(Value, field, newValue, errors, "newValue")
            ?? throw new InvalidOperationException($"Stored amendment of '{field}' on claim {Id} does not apply: {string.Join("; ", errors)}");
    }

    /// <summary>The field as the claim states it: its statement, or a field of its value.</summary>
    public string? Claimed(string field) => field == ClaimFieldNames.Statement ? Statement : Value.Field(field);

    internal Claim WithFinding(Finding finding)
    {
        var established = Established.Any(f => f.Field == finding.Field)
            ? Established.Select(f => f.Field == finding.Field ? finding : f).ToArray()
            : [.. Established, finding];
        return this with { Findings = [.. Findings, finding], Established = established, DiffersFromClaimed = established.Any(f => f.Differs) };
    }
}

/// <summary>Every span an event of a claim cites: its appearance, a source, or the evidence given with it.</summary>
public static class CitedSpans
{
    /// <summary>Every span the claim as it stands rests on: its appearance, sources, findings, attribution check and verdicts.</summary>
    public static IEnumerable<ClaimSource> OfClaim(Claim claim) =>
        new[] { claim.Appearance }
            .Concat(claim.Sources.Select(s => s.Source))
            .Concat(claim.Findings.SelectMany(f => f.Evidence))
            .Concat(claim.Attribution?.Evidence ?? [])
            .Concat(claim.EarlierVerdicts.Append(claim.Verdict).OfType<Verdict>().SelectMany(v => v.Evidence));

    public static IReadOnlyList<ClaimSource> Of(object @event) => @event switch
    {
        ClaimRecorded e => [e.Appearance],
        SourceAttached e => [e.Source],
        ClaimCorroborated e => [e.Source],
        ClaimDisputed e => e.Evidence,
        ClaimCorrected e => e.Evidence,
        ClaimRecordAmended e => [e.Appearance],
        FindingRecorded e => e.Evidence,
        AttributionChecked e => e.Evidence,
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
        ({ } c, ClaimCorrected e) => Evolve(c, ClaimEventUpcasts.AsFinding(e)),
        ({ } c, ClaimRecordAmended e) => c.Next(e.At) with
        {
            Statement = e.Field == ClaimFieldNames.Statement ? e.NewValue ?? c.Statement : c.Statement,
            Value = e.Field == ClaimFieldNames.Statement ? c.Value : c.ValueWith(e.Field, e.NewValue),
            AmendmentCount = c.AmendmentCount + 1,
        },
        ({ } c, FindingRecorded e) => c.Next(e.At).WithFinding(new Finding(e.Field, e.Claimed, e.Established, e.Note, e.Evidence, e.Actor, e.At)) with
        {
            EvidenceCount = c.EvidenceCount + e.Evidence.Count,
        },
        ({ } c, AttributionChecked e) => c.Next(e.At) with
        {
            Attribution = new AttributionCheck(e.Result, e.Note, e.Evidence, e.SourcesTried, e.Actor, e.At),
            EvidenceCount = c.EvidenceCount + e.Evidence.Count,
        },
        ({ } c, VerdictIssued e) => c.Next(e.At) with
        {
            Verdict = new Verdict(e.Rating, e.Rationale, e.Evidence, e.Actor, e.At, e.SourcesTried),
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

/// <summary>
/// How events stored under an earlier model are read today. The store's upcasting and the ledger's own checks both read
/// stored events through here, so history, replay, the read model and verification see the same thing.
/// </summary>
public static class ClaimEventUpcasts
{
    /// <summary>A stored correction is read as what it was evidence for: a finding on the field, beside the claim as published.</summary>
    public static FindingRecorded AsFinding(ClaimCorrected corrected) =>
        new(corrected.ClaimId, corrected.Field, corrected.OldValue, corrected.NewValue, corrected.Reason, corrected.Evidence, corrected.Actor, corrected.At);

    /// <summary>The event as today's model reads it.</summary>
    public static object Upcast(object stored) => stored switch
    {
        ClaimCorrected corrected => AsFinding(corrected),
        _ => stored,
    };
}
