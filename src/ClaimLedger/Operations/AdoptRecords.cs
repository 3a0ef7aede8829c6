using ClaimLedger.Access;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using Marten;
using Npgsql;

namespace ClaimLedger.Operations;

/// <summary>
/// A ledger written by a build that kept documents and API keys in tables only is upgraded once: each document gets a
/// <see cref="DocumentRegistered"/>, each key an <see cref="ApiKeyIssued"/> (and an <see cref="ApiKeyRevoked"/> if it was
/// revoked), appended now and marked with the time they were adopted, so what the earlier build held is vouched for from
/// that moment on, openly, never as if it had been registered through the ledger. It runs only while the ledger holds no
/// document or key stream at all: a row inserted by SQL after that is never adopted, and verification names it.
/// </summary>
public static class AdoptRecords
{
    public sealed record Result(int Documents, int Keys, DateTimeOffset AdoptedAt);

    public const string Actor = "claimledger db migrate";

    /// <returns>What was adopted, or null when the ledger already keeps its documents and keys as entries (or holds none).</returns>
    public static async Task<Result?> IfNeededAsync(string ownerConnectionString, string schema, TimeProvider clock, CancellationToken ct = default)
    {
        using var store = DocumentStore.For(opts => LedgerStore.Configure(opts, ownerConnectionString, schema, autoCreate: false));
        await using (var connection = new NpgsqlConnection(ownerConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var recorded = new NpgsqlCommand(
                $"select exists (select 1 from {schema}.mt_streams where not ({LedgerStreamIds.ClaimsOnlySql("id")}))", connection);
            if ((bool)(await recorded.ExecuteScalarAsync(ct))!)
            {
                return null;
            }
        }

        await using var session = store.LightweightSession();

        var documents = await session.Query<SourceDocument>().OrderBy(d => d.RegisteredAt).ToListAsync(ct);
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        if (documents.Count == 0 && keys.Count == 0)
        {
            return null;
        }

        var forms = LedgerStore.Forms(store);
        var ledger = new LedgerAppender(store, new LedgerChain(forms), forms);
        var context = new WriteContext(Actor);
        var at = WriteTime.Of(context, clock.GetUtcNow());
        foreach (var document in documents)
        {
            await ledger.AppendAsync(session, LedgerStreamIds.Document(document.Id), 0, [DocumentRegistered.Of(document, adoptedAt: at)], at, context, ct);
        }

        foreach (var key in keys)
        {
            object[] events = key.RevokedAt is { } revokedAt
                ? [ApiKeyHistory.Issued(key, adoptedAt: at), new ApiKeyRevoked(key.Id, revokedAt, "unrecorded (revoked before revocations were ledger entries)", at)]
                : [ApiKeyHistory.Issued(key, adoptedAt: at)];
            await ledger.AppendAsync(session, LedgerStreamIds.ApiKey(key.Id), 0, events, at, context, ct);
        }

        await session.SaveChangesAsync(ct);
        return new Result(documents.Count, keys.Count, at);
    }
}
