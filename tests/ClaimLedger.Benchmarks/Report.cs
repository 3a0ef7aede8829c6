using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

internal static class Report
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

        File.WriteAllText(Path.Combine(docs, "benchmarks.md"), md.ToString());
    }

    private static string Format(double value) => value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("F2", CultureInfo.InvariantCulture);
}
