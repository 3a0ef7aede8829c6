using System.Text.Json.Nodes;
using ClaimLedger.Seeds;

namespace ClaimLedger.IntegrationTests;

public class SeedReimportTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    private static void EditScenario(string folder, Action<JsonArray> edit)
    {
        var path = Path.Combine(folder, SeedSet.ScenarioFile);
        var scenario = JsonNode.Parse(File.ReadAllText(path))!;
        edit(scenario["steps"]!.AsArray());
        File.WriteAllText(path, scenario.ToJsonString());
    }

    [Fact]
    public async Task new_seed_entries_are_appended_alone_and_a_changed_seed_is_a_conflict_that_writes_nothing()
    {
        var folder = SeedImportTests.CopyOfSeeds();
        var full = SeedSet.Load(folder);
        var withheld = full.Steps.Where(s => s.At > new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)).Select(s => s.Id).ToHashSet();
        EditScenario(folder, steps =>
        {
            foreach (var step in steps.Where(s => withheld.Contains(s!["id"]!.GetValue<string>())).ToList())
            {
                steps.Remove(step);
            }
        });
        await ledger.SendAsync(new ImportSeeds.Command(folder));
        var afterPartial = await ledger.EventCountAsync();

        File.Copy(Path.Combine(SeedImportTests.Seeds, SeedSet.ScenarioFile), Path.Combine(folder, SeedSet.ScenarioFile), overwrite: true);
        var completed = await ledger.SendAsync(new ImportSeeds.Command(folder));

        Assert.True(withheld.Count > 0);
        Assert.Equal(withheld.Count, completed.StepsApplied);
        Assert.Equal(afterPartial + withheld.Count, await ledger.EventCountAsync());

        EditScenario(folder, steps => steps.First(s => s!["action"]!.GetValue<string>() == "verdict")!["rationale"] = "rewritten after the fact");
        var conflict = await Assert.ThrowsAsync<SeedConflictException>(() => ledger.SendAsync(new ImportSeeds.Command(folder)));

        Assert.Single(conflict.Conflicts);
        Assert.Equal(afterPartial + withheld.Count, await ledger.EventCountAsync());
        Directory.Delete(folder, recursive: true);
    }
}
