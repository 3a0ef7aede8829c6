using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

internal static partial class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(IReadOnlyList<Figure> results, IReadOnlyDictionary<string, string> machine, string docs)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Scenario", "Durability", "What", "Value", "Unit", "Notes");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Scenario), Markup.Escape(r.Durability), Markup.Escape(r.What), Format(r.Value), Markup.Escape(r.Unit), Markup.Escape(r.Notes));
        }

        AnsiConsole.Write(table);
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "benchmarks.json"), JsonSerializer.Serialize(new { machine, measuredAt = DateTimeOffset.UtcNow, results }, Json));

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks: measured figures").AppendLine();
        md.AppendLine("Written by `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- [--quick]`; the analysis is in `docs/benchmarks-analysis.md`.").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {string.Join(", ", machine.Select(m => $"{m.Key} {m.Value}"))}. Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. ");
        md.AppendLine("Each scenario runs on a fresh throwaway cluster, first with PostgreSQL's durable default (`fsync=on`, `synchronous_commit=on`), then separately with `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`.").AppendLine();
        md.AppendLine("| Scenario | Durability | What | Value | Unit | Notes |").AppendLine("|---|---|---|---:|---|---|");
        foreach (var r in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Durability} | {r.What} | {Format(r.Value)} | {r.Unit} | {r.Notes} |");
        }

        // The scenarios run on their own (--writers, --http, --matching) keep their sections; a full run rewrites only its table.
        var path = Path.Combine(docs, "benchmarks.md");
        foreach (var section in File.Exists(path) ? Sections().Matches(File.ReadAllText(path)) : Enumerable.Empty<System.Text.RegularExpressions.Match>())
        {
            md.AppendLine().AppendLine(section.Value);
        }

        File.WriteAllText(path, md.ToString());
    }

    /// <summary>
    /// Replaces the section <paramref name="name"/> of docs/benchmarks.md (or adds it at the end), so a scenario run on its
    /// own records its figures without touching the others'.
    /// </summary>
    public static async Task WriteSectionAsync(string docs, string name, string title, string how, IEnumerable<string> tableLines)
    {
        var begin = $"<!-- {name}: written by the benchmark's --{name} scenario -->";
        var end = $"<!-- /{name} -->";
        var section = new StringBuilder()
            .AppendLine(begin)
            .AppendLine(CultureInfo.InvariantCulture, $"## {title}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture,
                $"{how}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores (load average at the end {LoadAverage()}: figures taken while other work ran are noisy; CPU per command moves less). ")
            .AppendLine();
        foreach (var line in tableLines)
        {
            section.AppendLine(line);
        }

        section.Append(end);
        var path = Path.Combine(docs, "benchmarks.md");
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + section + text[(to + end.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        await File.WriteAllTextAsync(path, text);
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [System.Text.RegularExpressions.GeneratedRegex(@"<!-- (\w+): written by the benchmark's --\1 scenario -->.*?<!-- /\1 -->", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex Sections();

    private static string Format(double value) => value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("F2", CultureInfo.InvariantCulture);
}
