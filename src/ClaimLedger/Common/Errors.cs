namespace ClaimLedger.Common;

/// <summary>One invalid field of a request: where it is and what was expected there.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The request itself is malformed; nothing was written. Maps to exit code 2 and HTTP 400.</summary>
public sealed class RequestValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A rule of the ledger forbids the change. Maps to exit code 1 and HTTP 409.</summary>
public sealed class ClaimRuleException(string rule, string message) : Exception(message)
{
    /// <summary>A stable, kebab-case name of the rule, for scripts and tests.</summary>
    public string Rule { get; } = rule;
}

/// <summary>The caller expected another version of the claim than the ledger holds.</summary>
public sealed class VersionConflictException(string claimId, long expectedVersion, long currentVersion)
    : Exception($"Claim '{claimId}' is at version {currentVersion}, not {expectedVersion}: someone changed it first. Reload it, check what changed, and send the write again expecting version {currentVersion}.")
{
    public string ClaimId { get; } = claimId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long CurrentVersion { get; } = currentVersion;
}

/// <summary>No claim, document or other entity has the given id.</summary>
public sealed class NotFoundException(string what, string id)
    : Exception($"No {what} has the id '{id}'.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}
