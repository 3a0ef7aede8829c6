using ClaimLedger.Ledger;
using ClaimLedger.Matching;
using Weasel.Core;
using Weasel.Postgresql;

namespace ClaimLedger.Infrastructure;

/// <summary>
/// The numbered files under migrations/, each derived from the Marten configuration: applied in order to an empty
/// database they give the schema <see cref="LedgerStore.CreationScriptAsync"/> creates, and a ledger built by the
/// earlier files is upgraded by the later ones alone.
/// </summary>
public static class Migrations
{
    public sealed record Migration(string File, string Sql);

    public static async Task<IReadOnlyList<Migration>> ExpectedAsync(string schema = LedgerStore.DefaultSchema)
    {
        var everything = await LedgerStore.CreationScriptAsync(schema);
        var matching = await MatchingSchema.CreationScriptAsync(schema);
        var sequencer = await ScriptOfAsync(SequencerSchema.Objects(schema));
        var checkpoints = await ScriptOfAsync(CheckpointSchema.Objects(schema));
        return
        [
            new("0001_initial.sql", everything.Replace(matching, "", StringComparison.Ordinal).Replace(sequencer, "", StringComparison.Ordinal)
                .Replace(checkpoints, "", StringComparison.Ordinal)),
            new("0002_matching.sql", matching),
            new("0003_sequencer.sql", sequencer),
            new("0004_checkpoints.sql", checkpoints),
        ];
    }

    /// <summary>The creation SQL of schema objects added by a later migration, exactly as Marten writes them into the whole script.</summary>
    public static async Task<string> ScriptOfAsync(IEnumerable<ISchemaObject> objects)
    {
        var migrator = new PostgresqlMigrator();
        await using var writer = new StringWriter { NewLine = "\n" };
        foreach (var item in objects)
        {
            item.WriteCreateStatement(migrator, writer);
        }

        return writer.ToString();
    }
}
