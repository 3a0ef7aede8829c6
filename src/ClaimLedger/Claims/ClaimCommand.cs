using ClaimLedger.Common;
using ClaimLedger.Documents;

namespace ClaimLedger.Claims;

/// <summary>A span that a command cites, named by the field it was given in, so a wrong one is reported where it was written.</summary>
public sealed record Citation(string Field, SourceRef Reference);

/// <summary>
/// A request to change one claim. The CLI, the API, the web app and both seed imports build these same records, and
/// every one of them is decided by <see cref="ClaimDecisions.Decide"/>.
/// </summary>
public interface IClaimCommand : IClaimWrite
{
    /// <summary>The claim written to.</summary>
    string ClaimId { get; }

    /// <summary>The version the writer last saw, when the write must be refused if the claim has moved on since.</summary>
    long? ExpectedVersion { get; }

    /// <summary>Every span the command cites; each is checked against its document before the command is decided.</summary>
    IReadOnlyList<Citation> Citations { get; }
}

/// <summary>A claim command whose use case lives outside Claims (matching) and decides itself on the claim as it stands.</summary>
public interface ISelfDecidingClaimCommand : IClaimCommand
{
    IClaimEvent Decide(Claim claim, DateTimeOffset at);
}

/// <summary>A claim command that changes another claim too, in the same transaction: both change or neither does.</summary>
public interface IJointClaimCommand : IClaimCommand
{
    IClaimCommand? WrittenWith { get; }
}

/// <summary>The spans a command cites, checked against their documents, each with the publisher independence is judged by.</summary>
public interface ICheckedSources
{
    ClaimSource this[SourceRef reference] { get; }
}

/// <summary>The one decision path: any claim command, on the claim as it stands, becomes the event it leads to or a refusal.</summary>
public static class ClaimDecisions
{
    /// <param name="claim">The claim as it stands, or null when no claim has the command's id.</param>
    /// <param name="at">The time the ledger takes as the time of the act.</param>
    public static IClaimEvent Decide(Claim? claim, IClaimCommand command, ICheckedSources sources, DateTimeOffset at) => command switch
    {
        RecordClaim.Command record => RecordClaim.Decide(claim, record, sources, at),
        _ when claim is null => throw new NotFoundException("claim", command.ClaimId),
        AttachSource.Command attach => AttachSource.Decide(claim, attach, sources, at),
        CorroborateClaim.Command corroborate => CorroborateClaim.Decide(claim, corroborate, sources, at),
        DisputeClaim.Command dispute => DisputeClaim.Decide(claim, dispute, sources, at),
        AmendRecord.Command amend => AmendRecord.Decide(claim, amend, sources, at),
        RecordFinding.Command finding => RecordFinding.Decide(claim, finding, sources, at),
        CheckAttribution.Command attribution => CheckAttribution.Decide(claim, attribution, sources, at),
        IssueVerdict.Command verdict => IssueVerdict.Decide(claim, verdict, sources, at),
        RetractClaim.Command retract => RetractClaim.Decide(claim, retract, sources, at),
        ISelfDecidingClaimCommand own => own.Decide(claim, at),
        _ => throw new ArgumentException($"{command.GetType().FullName} is not a claim command this ledger decides.", nameof(command)),
    };

    internal static IReadOnlyList<Citation> Cite(string field, IReadOnlyList<SourceRef>? references) =>
        references is null ? [] : references.Select((reference, i) => new Citation($"{field}[{i}]", reference)).ToArray();

    internal static IReadOnlyList<ClaimSource> Checked(this ICheckedSources sources, IReadOnlyList<SourceRef> references) =>
        references.Select(reference => sources[reference]).ToArray();
}
