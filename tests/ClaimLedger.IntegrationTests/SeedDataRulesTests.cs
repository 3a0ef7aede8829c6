using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// House rules of the committed seed data that go beyond what the importer enforces: they read the seed files as data,
/// so they need no database.
/// </summary>
public partial class SeedDataRulesTests
{
    private static readonly string[] OnScale = ["true", "mostly-true", "half-true", "mostly-false", "false"];

    private sealed record Seeds(
        IReadOnlyDictionary<string, JsonNode> Documents,
        IReadOnlyDictionary<string, JsonNode> Claims,
        IReadOnlyList<JsonNode> Steps)
    {
        public static Seeds Load(string folder)
        {
            JsonArray Read(string file, string property) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))![property]!.AsArray();
            return new Seeds(
                Read("sources.json", "documents").ToDictionary(d => Text(d!, "id"), d => d!),
                Read("claims.json", "claims").ToDictionary(c => Text(c!, "id"), c => c!),
                [.. Read("scenario.json", "steps").Select(s => s!)]);
        }

        /// <summary>The names a claim's own words go by: the publisher of its appearance and the publisher a copy credits.</summary>
        public HashSet<string> OwnPublishers(string claim)
        {
            var appearance = Documents[Text(Claims[claim]["appearance"]!, "document")];
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Text(appearance, "publisher") };
            if (appearance["attributedTo"] is { } credited)
            {
                names.Add(credited.GetValue<string>());
            }

            return names;
        }

        /// <summary>Cited from outside the claim: another document, and a publisher that is neither the claim's nor a copy of it
        /// ("Reuters (via Investing.com)" is Reuters; "CNN (text as republished by ...)" is CNN).</summary>
        public bool IsIndependentCitedSource(string claim, JsonNode reference)
        {
            var document = Documents[Text(reference, "document")];
            if (Text(document, "kind") != "cited")
            {
                return false;
            }

            var publisher = Text(document, "publisher");
            var own = OwnPublishers(claim);
            return !own.Contains(publisher) && !own.Contains(publisher.Split(" (")[0].Trim());
        }
    }

    private static string Text(JsonNode node, string property) => node[property]!.GetValue<string>();

    private static IEnumerable<JsonNode> References(JsonNode step) =>
        new[] { step["source"], step["appearance"] }.Concat(step["evidence"]?.AsArray() ?? []).OfType<JsonNode>();

    private static readonly Seeds Committed = Seeds.Load(Repository.Path("seeds"));

    [Fact]
    public void every_rated_verdict_cites_a_cited_source_from_outside_the_claims_publisher_and_its_copies()
    {
        var verdicts = Committed.Steps.Where(s => Text(s, "action") == "verdict" && OnScale.Contains(Text(s, "rating"))).ToList();

        var unsupported = verdicts
            .Where(v => !v["evidence"]!.AsArray().Any(e => Committed.IsIndependentCitedSource(Text(v, "claim"), e!)))
            .Select(v => $"{Text(v, "id")} {Text(v, "claim")}");

        Assert.NotEmpty(verdicts);
        Assert.Empty(unsupported);
    }

    [Fact]
    public void every_quote_is_checked_for_attribution_before_it_gets_a_verdict()
    {
        var quotes = Committed.Claims.Where(c => Text(c.Value, "kind") == "Quote").Select(c => c.Key).ToHashSet();
        var checkedQuotes = new HashSet<string>();
        var verdictsBeforeTheCheck = new List<string>();

        foreach (var step in Committed.Steps.Where(s => quotes.Contains(Text(s, "claim"))))
        {
            switch (Text(step, "action"))
            {
                case "attribution":
                    checkedQuotes.Add(Text(step, "claim"));
                    break;
                case "verdict" when !checkedQuotes.Contains(Text(step, "claim")):
                    verdictsBeforeTheCheck.Add(Text(step, "id"));
                    break;
            }
        }

        Assert.NotEmpty(checkedQuotes);
        Assert.Empty(verdictsBeforeTheCheck);
    }

    [Fact]
    public void every_cited_source_is_cited_and_was_retrieved_after_it_was_published_and_before_it_was_first_cited()
    {
        var firstCited = new Dictionary<string, string>();
        foreach (var step in Committed.Steps)
        {
            foreach (var reference in References(step))
            {
                firstCited.TryAdd(Text(reference, "document"), Text(step, "at")[..10]);
            }
        }

        var cited = Committed.Documents.Values.Where(d => Text(d, "kind") == "cited").ToList();
        var problems = cited.SelectMany(d =>
        {
            var id = Text(d, "id");
            var retrieved = Text(d, "retrievedOn");
            var found = new List<string>();
            if (!firstCited.TryGetValue(id, out var first))
            {
                found.Add($"{id} is cited by no step");
            }
            else if (string.CompareOrdinal(retrieved, first) > 0)
            {
                found.Add($"{id} is cited on {first} but retrieved on {retrieved}");
            }

            if (string.CompareOrdinal(retrieved, Text(d, "publishedOn")) < 0)
            {
                found.Add($"{id} is retrieved before it was published");
            }

            return found;
        });

        Assert.NotEmpty(cited);
        Assert.Empty(problems);
    }

    [Fact]
    public void every_error_the_seed_readme_lists_is_a_claim_with_a_finding_or_a_verdict_that_says_so()
    {
        var readme = File.ReadAllText(Repository.Path("seeds", "README.md"));
        var section = readme[readme.IndexOf("## Errors found in the articles", StringComparison.Ordinal)..];
        var listed = ErrorRow().Matches(section).Select(m => m.Groups["claim"].Value).ToList();

        var unrecorded = listed.Where(claim => !Committed.Claims.ContainsKey(claim) || !Committed.Steps.Any(s =>
            Text(s, "claim") == claim && Text(s, "action") switch
            {
                "finding" => true,
                "attribution" => Text(s, "result") is "misquoted" or "misattributed",
                "verdict" => Text(s, "rating") is not ("true" or "opinion"),
                _ => false,
            }));

        Assert.True(listed.Count >= 20, $"only {listed.Count} errors listed");
        Assert.Empty(unrecorded);
    }

    [GeneratedRegex(@"^\| \d{3} \| `(?<claim>[a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ErrorRow();
}
