using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// Makes a seeds folder of any size from the real seed claims as templates: every template claim cloned under new
/// ids with its whole fact-checking scenario, then extra disputes so claims average several events and a few have
/// hundreds. The files are written as they are generated, so a million-event corpus needs no more memory than the
/// templates. The output passes the same importer validation as the real seeds.
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

        var claimCount = 0;
        WriteArray(Path.Combine(target, "claims.json"), "claims", writer =>
        {
            for (var copy = 0; copy < copies; copy++)
            {
                foreach (var claim in claims)
                {
                    var clone = claim!.DeepClone();
                    clone["id"] = $"{claim["id"]!.GetValue<string>()}-{copy}";
                    clone.WriteTo(writer);
                    claimCount++;
                    FlushFull(writer);
                }
            }
        });

        // Extra disputes after the whole scenario, 3–7 per claim and 150 for one claim in 200, written round by round.
        var extras = new List<(string Claim, int Count)>();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var claim in claims)
            {
                var template = claim!["id"]!.GetValue<string>();
                if (!retracted.Contains(template))
                {
                    extras.Add(($"{template}-{copy}", random.Next(200) == 0 ? 150 : random.Next(3, 8)));
                }
            }
        }

        extras.Sort((a, b) => string.CompareOrdinal(a.Claim, b.Claim));
        var stepCount = 0;
        WriteArray(Path.Combine(target, "scenario.json"), "steps", writer =>
        {
            foreach (var step in steps)
            {
                for (var copy = 0; copy < copies; copy++)
                {
                    var clone = step!.DeepClone();
                    clone["id"] = $"s{++stepCount:D9}";
                    clone["claim"] = $"{step["claim"]!.GetValue<string>()}-{copy}";
                    clone.WriteTo(writer);
                    FlushFull(writer);
                }
            }

            var at = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
            var rounds = extras.Max(e => e.Count);
            for (var round = 0; round < rounds; round++)
            {
                var time = at.AddSeconds(round).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                foreach (var (claim, _) in extras.Where(e => e.Count > round))
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", $"s{++stepCount:D9}");
                    writer.WriteString("at", time);
                    writer.WriteString("by", "Benchmark Checker");
                    writer.WriteString("claim", claim);
                    writer.WriteString("action", "dispute");
                    writer.WriteString("reason", $"follow-up question {round}");
                    writer.WriteStartArray("evidence");
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    FlushFull(writer);
                }
            }
        });

        return (claimCount, stepCount);
    }

    private static void FlushFull(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > 1 << 20)
        {
            writer.Flush();
        }
    }

    private static void WriteArray(string path, string name, Action<Utf8JsonWriter> items)
    {
        using var file = File.Create(path);
        using var writer = new Utf8JsonWriter(file);
        writer.WriteStartObject();
        writer.WriteStartArray(name);
        items(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
