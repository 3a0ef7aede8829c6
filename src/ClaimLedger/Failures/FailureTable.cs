using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using ClaimLedger.Seeds;
using Npgsql;

namespace ClaimLedger.Failures;

/// <summary>
/// A failure as every entry point reports it: the HTTP status the API answers, the exit code the CLI ends with,
/// a title and what to do next, and the invalid fields or named problems behind it.
/// </summary>
public sealed record Failure(int Status, int ExitCode, string Title, string Detail, Exception Exception)
{
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>Extra members of the problem body (the rule broken, the claim's current version, …).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    /// <summary>Not the client's doing and not a known condition of the database: a defect to log with its stack trace.</summary>
    public bool IsUnexpected => ExitCode == ExitCodes.Unexpected;
}

/// <summary>
/// The one table from exception to failure class. The API (<c>Problems</c>) and the CLI (its Spectre exception
/// handler) both read it, so a missing table or a full disk is the same failure whoever asks.
/// </summary>
public static class FailureTable
{
    public const string MigrateHint = "Run claimledger db migrate against this database first.";

    public static Failure Classify(Exception exception)
    {
        // Marten, MediatR and the container wrap the failures below; the innermost known one says what happened.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (Known(current) is { } failure)
            {
                return failure;
            }
        }

        return new Failure(500, ExitCodes.Unexpected, "Unexpected error",
            "This is a defect, not a mistake in the request. It was logged with the correlation id given here.", exception);
    }

    private static Failure? Known(Exception e) => e switch
    {
        RequestValidationException invalid => new Failure(400, ExitCodes.BadInput, "The request is not valid",
            "Every invalid field is listed with what was expected there.", e) { Errors = invalid.Errors },
        SeedValidationException seeds => new Failure(400, ExitCodes.BadInput, "The seeds are not valid", seeds.Message, e)
        {
            Errors = seeds.Problems.Select(p => new FieldError($"{p.File} {p.Entry} {p.Field}", p.Message)).ToArray(),
        },
        NotFoundException missing => new Failure(404, ExitCodes.Refused, $"No such {missing.What}", missing.Message, e),
        ClaimRuleException rule => new Failure(409, ExitCodes.Refused, "A rule of the ledger forbids this", rule.Message, e)
        {
            Extensions = new Dictionary<string, object?> { ["rule"] = rule.Rule },
        },
        SeedConflictException conflict => new Failure(409, ExitCodes.Refused, "The seeds contradict the ledger", conflict.Message, e)
        {
            Errors = conflict.Conflicts.Select(p => new FieldError($"{p.File} {p.Entry} {p.Field}", p.Message)).ToArray(),
        },
        VersionConflictException stale => new Failure(412, ExitCodes.Refused, "Someone changed the claim first", stale.Message, e)
        {
            Extensions = new Dictionary<string, object?> { ["currentVersion"] = stale.CurrentVersion, ["expectedVersion"] = stale.ExpectedVersion },
        },
        LocalPostgresException local => new Failure(503, ExitCodes.Unavailable, "The embedded database cannot be started", local.Message, e),
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => new Failure(503, ExitCodes.Unavailable, "The database is out of disk space",
            "Nothing was written. Free space on the database server's disk (claimledger db status shows where the embedded one lives), then try again.", e),
        PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName } => new Failure(503, ExitCodes.Unavailable,
            "The ledger's tables do not exist in this database", MigrateHint, e),
        NpgsqlException => new Failure(503, ExitCodes.Unavailable, "The database is unavailable",
            "Try again shortly; if it persists, check the connection string or claimledger db status.", e),
        OperationCanceledException => new Failure(499, ExitCodes.Refused, "Cancelled", "The request was cancelled before it finished; nothing was committed.", e),
        _ => null,
    };
}
