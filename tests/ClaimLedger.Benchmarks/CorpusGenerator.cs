using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// Makes a seeds folder of any size from the real seed claims as templates: every template claim cloned under new
/// ids with its whole fact-checking scenario, then extra disputes so claims average several events and a few have
/// hundreds. The output passes the same importer validation as the real seeds.
/// </summary>
internal static class CorpusGenerator
{
    public static (int Claims, int Steps) Generate(string seeds, string target, int copies, int seed = 42)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(seeds, "*.txt", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(seeds, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }

        File.Copy(Path.Combine(seeds, "sources.json"), Path.Combine(target, "sources.json"), overwrite: true);
        var claims = JsonNode.Parse(File.ReadAllText(Path.Combine(seeds, "claims.json")))!["claims"]!.AsArray();
        var steps = JsonNode.Parse(File.ReadAllText(Path.Combine(seeds, "scenario.json")))!["steps"]!.AsArray();
        var retracted = steps.Where(s => s!["action"]!.GetValue<string>() == "retract").Select(s => s!["claim"]!.GetValue<string>()).ToHashSet();

        var outClaims = new JsonArray();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var claim in claims)
            {
                var clone = claim!.DeepClone();
                clone["id"] = $"{claim["id"]!.GetValue<string>()}-{copy}";
                outClaims.Add(clone);
            }
        }

        var outSteps = new JsonArray();
        var count = 0;
        foreach (var step in steps)
        {
            for (var copy = 0; copy < copies; copy++)
            {
                var clone = step!.DeepClone();
                clone["id"] = $"s{++count:D9}";
                clone["claim"] = $"{step["claim"]!.GetValue<string>()}-{copy}";
                outSteps.Add(clone);
            }
        }

        // Extra disputes after the whole scenario, 3–7 per claim and 150 for one claim in 200.
        var at = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var extras = new List<(string Claim, int Index)>();
        foreach (var claim in outClaims)
        {
            var id = claim!["id"]!.GetValue<string>();
            if (retracted.Contains(id[..id.LastIndexOf('-')]))
            {
                continue;
            }

            var n = random.Next(200) == 0 ? 150 : random.Next(3, 8);
            extras.AddRange(Enumerable.Range(0, n).Select(i => (id, i)));
        }

        foreach (var (claim, index) in extras.OrderBy(e => e.Index).ThenBy(e => e.Claim, StringComparer.Ordinal))
        {
            outSteps.Add(new JsonObject
            {
                ["id"] = $"s{++count:D9}", ["at"] = at.AddSeconds(index).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["by"] = "Benchmark Checker",
                ["claim"] = claim, ["action"] = "dispute", ["reason"] = $"follow-up question {index}", ["evidence"] = new JsonArray(),
            });
        }

        var options = new JsonSerializerOptions { WriteIndented = false };
        File.WriteAllText(Path.Combine(target, "claims.json"), new JsonObject { ["claims"] = outClaims }.ToJsonString(options));
        File.WriteAllText(Path.Combine(target, "scenario.json"), new JsonObject { ["steps"] = outSteps }.ToJsonString(options));
        return (outClaims.Count, outSteps.Count);
    }
}
