namespace ClaimLedger.Common;

/// <summary>Where the ledger lives: the PostgreSQL server and the schema in it.</summary>
/// <param name="AutoCreateSchema">Create or update the schema on first use; only for throwaway databases, never an existing ledger.</param>
/// <param name="StaleReadsFromStandby">
/// Send reads that tolerate replication lag (lists, history, as-of, verification) to a standby of a multi-host connection.
/// </param>
public sealed record ClaimLedgerOptions(string ConnectionString, string Schema = ClaimLedgerOptions.DefaultSchema, bool AutoCreateSchema = false, bool StaleReadsFromStandby = false)
{
    public const string DefaultSchema = "claimledger";
}
