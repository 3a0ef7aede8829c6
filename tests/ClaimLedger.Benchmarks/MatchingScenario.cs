using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClaimLedger.Infrastructure;
using ClaimLedger.Matching;
using Marten;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// Claim matching on the CLEF 2022 CheckThat! 2A (English) data in ../shared/datasets/claim-retrieval: the 14,231
/// fact-checks imported as ClaimReview by <c>claimledger import reviews</c>, the queries run by
/// <c>claimledger match --queries</c>, both as the user runs them, then scored against the answers. Then the ranking
/// step alone over synthetic collections of 100k and 1M entries, to show how it grows.
/// </summary>
internal static partial class MatchingScenario
{
    public static async Task<int> RunAsync(string root, string dataset, bool quick)
    {
        await CliImport.PrepareAsync(root);
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-bench-{Guid.NewGuid():N}"[..34]);
        var postgres = new LocalPostgres(home, new Dictionary<string, string> { ["max_connections"] = "100" });
        var lines = new List<string>();
        void Report(string line)
        {
            lines.Add(line);
            Console.WriteLine(line);
        }

        try
        {
            var cluster = await postgres.EnsureRunningAsync();
            using (var store = DocumentStore.For(opts => LedgerStore.Configure(opts, cluster.ConnectionString, LedgerStore.DefaultSchema, autoCreate: true)))
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            }

            var reviews = Path.Combine(home, "claimreview.jsonl");
            var count = await WriteClaimReviewsAsync(Path.Combine(dataset, "fact-checks.jsonl"), reviews);
            AnsiConsole.MarkupLine($"Importing {count:N0} fact-checks as ClaimReview…");
            var import = await RunCliAsync(cluster.ConnectionString, ["import", "reviews", reviews, "--json"]);
            var reimport = await RunCliAsync(cluster.ConnectionString, ["import", "reviews", reviews, "--json"]);
            Report($"| Import | `claimledger import reviews`, {count:N0} fact-checks (parse, check, embed, write) | {import.Seconds:F1} | s | {count / import.Seconds:F0} reviews/s with process start; re-import of the same file {reimport.Seconds:F1} s ({Unchanged(reimport.Output)} unchanged) |");

            foreach (var split in quick ? new[] { "dev" } : ["dev", "train"])
            {
                var run = Path.Combine(home, $"{split}.run.tsv");
                var matched = await RunCliAsync(cluster.ConnectionString, ["match", "--queries", Path.Combine(dataset, $"{split}-queries.tsv"), "--top", "5", "--out", run]);
                var (map, mrr, recall, queries) = Score(await File.ReadAllLinesAsync(run), await File.ReadAllLinesAsync(Path.Combine(dataset, $"{split}-qrels.tsv")));
                var latency = Latency().Match(matched.Errors);
                Report($"| Quality, {split} | MAP@5 over {queries} queries (official measure) | {map:F4} | | MRR@5 {mrr:F4}, recall@5 {recall:F4}{(split == "train" ? "; weights were tuned on this split" : "; never used for tuning")} |");
                if (latency.Success)
                {
                    Report($"| Latency, {split} | one query end to end (clean, embed, analyse, rank, fetch) | {latency.Groups[1].Value} | ms p50 | p99 {latency.Groups[2].Value} ms, {queries} queries in one `match --queries` process (the first, which loads the model and the index, apart: {FirstQuery().Match(matched.Errors).Groups[1].Value} ms) |");
                }
            }
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }

        foreach (var size in quick ? new[] { 14_231, 100_000 } : [14_231, 100_000, 1_000_000])
        {
            var (p50, p99, bytes) = RankSynthetic(size);
            Report($"| Growth | ranking step alone over {size:N0} synthetic entries (exact scan of every vector + BM25) | {p50:F1} | ms p50 | p99 {p99:F1} ms; vectors {bytes / 1e6:F0} MB in memory |");
        }

        await ClaimLedger.Benchmarks.Report.WriteSectionAsync(Path.Combine(root, "docs"), "matching", "Claim matching (issue 18)",
            "Written by `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --matching`",
            [
                "Data: CLEF 2022 CheckThat! lab, task 2A English (Nakov et al., CEUR-WS Vol-3180), from `../shared/datasets/claim-retrieval/`. What the figures mean: `docs/matching.md`.",
                "",
                "| Part | What | Value | Unit | Notes |",
                "|---|---|---:|---|---|",
                .. lines,
            ]);

        return 0;
    }

    /// <summary><c>--dataset DIR</c>, else the first <c>shared/datasets/claim-retrieval</c> beside the repository or one of its parents.</summary>
    public static string FindDataset(string root, string[] args)
    {
        if (Array.IndexOf(args, "--dataset") is var at and >= 0 && at + 1 < args.Length)
        {
            return Path.GetFullPath(args[at + 1]);
        }

        for (var folder = new DirectoryInfo(root).Parent; folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "datasets", "claim-retrieval");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No shared/datasets/claim-retrieval next to the repository or above it; give --dataset DIR.");
    }

    private static async Task<int> WriteClaimReviewsAsync(string factChecks, string output)
    {
        var count = 0;
        await using var writer = new StreamWriter(output, false, new UTF8Encoding(false));
        foreach (var line in File.ReadLines(factChecks))
        {
            var check = JsonNode.Parse(line)!;
            var review = new JsonObject
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "ClaimReview",
                ["identifier"] = (string?)check["vclaim_id"],
                ["claimReviewed"] = (string?)check["vclaim"],
                ["headline"] = (string?)check["title"],
                ["description"] = (string?)check["subtitle"],
                ["url"] = (string?)check["page_url"],
                ["datePublished"] = (string?)check["date"],
                ["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = "Snopes" },
            };
            await writer.WriteLineAsync(review.ToJsonString());
            count++;
        }

        return count;
    }

    private static async Task<(double Seconds, string Output, string Errors)> RunCliAsync(string connectionString, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [CliImport.Dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["CLAIMLEDGER_CONNECTION"] = connectionString, ["NO_COLOR"] = "1" },
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? (clock.Elapsed.TotalSeconds, await output, await errors)
            : throw new InvalidOperationException($"claimledger {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
    }

    private static string Unchanged(string json) =>
        JsonNode.Parse(json)?["unchanged"]?.ToString() ?? "?";

    /// <summary>MAP@5 as the lab computes it (precision at each relevant hit, over the number of relevant answers up to 5), MRR and recall within the top 5.</summary>
    internal static (double Map, double Mrr, double Recall, int Queries) Score(IEnumerable<string> run, IEnumerable<string> qrels)
    {
        var relevant = qrels.Select(l => l.Split('\t')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Select(p => p[2]).ToHashSet());
        var ranked = run.Select(l => l.Split('\t')).GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.OrderBy(p => int.Parse(p[3], CultureInfo.InvariantCulture)).Select(p => p[2]).Take(5).ToList());
        double map = 0, mrr = 0, recall = 0;
        foreach (var (query, answers) in relevant)
        {
            var results = ranked.GetValueOrDefault(query) ?? [];
            double hits = 0, precisions = 0;
            for (var i = 0; i < results.Count; i++)
            {
                if (answers.Contains(results[i]))
                {
                    precisions += ++hits / (i + 1);
                    mrr += hits == 1 ? 1.0 / (i + 1) : 0;
                }
            }

            map += precisions / Math.Min(answers.Count, 5);
            recall += hits / answers.Count;
        }

        return (map / relevant.Count, mrr / relevant.Count, recall / relevant.Count, relevant.Count);
    }

    /// <summary>The ranking step alone over random unit vectors and Zipf-like words: no database, no query embedding.</summary>
    private static (double P50, double P99, long VectorBytes) RankSynthetic(int size)
    {
        var random = new Random(18);
        var entries = new MatchIndex.MatchEntry[size];
        for (var i = 0; i < size; i++)
        {
            var terms = new Dictionary<string, int>();
            for (var t = 0; t < 20; t++)
            {
                terms[$"w{(int)Math.Pow(50_000, random.NextDouble())}"] = 5;
            }

            entries[i] = new MatchIndex.MatchEntry(MatchKind.Review, $"r{i}", UnitVector(random), terms, 100);
        }

        var snapshot = MatchIndex.Snapshot.Build(entries);
        var timings = new List<double>();
        for (var q = 0; q < 60; q++)
        {
            var query = UnitVector(random);
            var terms = Enumerable.Range(0, 12).Select(_ => $"w{(int)Math.Pow(50_000, random.NextDouble())}").Distinct().ToDictionary(t => t, _ => 1);
            var clock = Stopwatch.StartNew();
            MatchScoring.Rank(snapshot, query, terms, null, 5, _ => true);
            if (q >= 10)
            {
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        return (timings[timings.Count / 2], timings[^1], (long)size * SentenceEmbedder.Dimensions * sizeof(float));
    }

    private static float[] UnitVector(Random random)
    {
        var vector = new float[SentenceEmbedder.Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() - 0.5);
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return [.. vector.Select(x => x / norm)];
    }

    [GeneratedRegex(@"p50 ([0-9.]+) ms, p99 ([0-9.]+) ms")]
    private static partial Regex Latency();

    [GeneratedRegex(@"the first, loading the model and index, ([0-9.]+) ms")]
    private static partial Regex FirstQuery();
}
