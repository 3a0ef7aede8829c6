using MediatR;

namespace ClaimLedger.Common;

/// <summary>Who is writing, and under which correlation id; set by the entry point, never by request bodies.</summary>
/// <param name="Import">
/// Import-only: keeps the recorded time of a seed step instead of the time of writing, and marks the events as imported.
/// </param>
/// <param name="IdempotencyKey">When set, a retry of the same request returns the first result instead of writing again.</param>
public sealed record WriteContext(string Actor, string? CorrelationId = null, ImportMark? Import = null, string? IdempotencyKey = null);

/// <summary>The seed step an imported event comes from, with the hash of its content, so a re-import can recognise it.</summary>
public sealed record ImportMark(DateTimeOffset RecordedAt, string StepId, string StepHash)
{
    public const string ImportedHeader = "imported";
    public const string StepHeader = "import-step";
    public const string HashHeader = "import-hash";

    /// <summary>The headers that mark an event as imported from a seed step, so a re-import can recognise it.</summary>
    public Dictionary<string, object> Headers() => new()
    {
        [ImportedHeader] = true,
        [StepHeader] = StepId,
        [HashHeader] = StepHash,
    };
}

/// <summary>What a write left behind: the claim, its new version and the events appended.</summary>
public sealed record WriteResult(string ClaimId, long Version, IReadOnlyList<string> Events);

/// <summary>A write to a claim: what the idempotency and validation behaviours recognise.</summary>
public interface IClaimWrite : IRequest<WriteResult>
{
    WriteContext Context { get; }
}
