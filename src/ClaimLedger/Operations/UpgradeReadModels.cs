using System.Text.Json;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using Marten;
using Npgsql;

namespace ClaimLedger.Operations;

/// <summary>
/// After a migration, read models projected by an earlier build (which lack a property this build always writes, such as
/// a claim's findings) are rebuilt from the events, so an upgraded ledger serves and verifies what this build derives.
/// The events and the ledger are untouched.
/// </summary>
public static class UpgradeReadModels
{
    /// <returns>The rebuild's result, or null when every read model already has this build's shape.</returns>
    public static async Task<RebuildReadModels.Result?> IfOutdatedAsync(string ownerConnectionString, string schema, CancellationToken ct = default)
    {
        using var store = DocumentStore.For(opts => LedgerStore.Configure(opts, ownerConnectionString, schema, autoCreate: false));
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        await using var outdated = new NpgsqlCommand(
            $"select exists (select 1 from {schema}.mt_doc_claim where not (data ?& @properties))", connection);
        outdated.Parameters.AddWithValue("properties", AlwaysWritten(store));
        if (!(bool)(await outdated.ExecuteScalarAsync(ct))!)
        {
            return null;
        }

        return await new RebuildReadModels.Handler(store, new ClaimLedgerOptions(ownerConnectionString, schema)).Handle(new(), ct);
    }

    /// <summary>The properties this build writes into every claim's read model, whatever the claim holds.</summary>
    private static string[] AlwaysWritten(IDocumentStore store)
    {
        var least = new Claim
        {
            Id = "x", Statement = "x", Value = new StatementValue(), RecordedBy = "x",
            Appearance = new ClaimSource("x", "x", 0, 1, "x"),
        };
        using var json = JsonDocument.Parse(store.Options.Serializer().ToJson(least));
        return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name).ToArray();
    }
}
