using System.Text.Json.Nodes;
using ClaimLedger.Claims;
using ClaimLedger.Seeds;
using Marten;

namespace ClaimLedger.IntegrationTests;

public class SeedImportTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    internal static readonly string Seeds = Repository.Path("seeds");

    [Fact]
    public void the_committed_seeds_are_valid_and_cover_every_article_and_kind()
    {
        var seeds = SeedSet.Load(Seeds);

        Assert.Empty(seeds.Problems);
        Assert.True(seeds.Claims.Count > 40, $"only {seeds.Claims.Count} claims");
        var articles = seeds.Documents.Where(d => d.Command.Kind == Documents.DocumentKind.Article).Select(d => d.Command.DocumentId).ToList();
        Assert.Equal(5, articles.Count);
        Assert.All(articles, a => Assert.Contains(seeds.Claims, c => c.Command.Appearance.DocumentId == a));
        Assert.Equal(Enum.GetValues<ClaimKind>().Order(), seeds.Claims.Select(c => c.Command.Kind).Distinct().Order());
        Assert.True(seeds.Steps.Count(s => s.Command is RecordFinding.Command) >= 5);
        Assert.Contains(seeds.Steps, s => s.Command is RetractClaim.Command);
    }

    [Fact]
    public async Task importing_the_seeds_twice_adds_nothing_the_second_time_and_replays_show_the_revised_verdicts()
    {
        var first = await ledger.SendAsync(new ImportSeeds.Command(Seeds));
        var afterFirst = await ledger.EventCountAsync();

        var second = await ledger.SendAsync(new ImportSeeds.Command(Seeds));

        Assert.Equal(afterFirst, await ledger.EventCountAsync());
        Assert.Equal(0, second.StepsApplied);
        Assert.Equal(first.StepsApplied + first.StepsAlreadyPresent, second.StepsAlreadyPresent);
        var seeds = SeedSet.Load(Seeds);
        Assert.Equal(seeds.Claims.Count + seeds.Steps.Count, second.StepsAlreadyPresent);
        const string claim = "no-limits-partnership-declared-at-sco-summit";
        var beforeRevision = await ledger.SendAsync(new ClaimAsOf.Query(claim, At: new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero)));
        var afterRevision = await ledger.SendAsync(new ClaimAsOf.Query(claim, At: new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(Rating.HalfTrue, beforeRevision.Verdict!.Rating);
        Assert.Equal(Rating.MostlyFalse, afterRevision.Verdict!.Rating);
        Assert.True((await ledger.SendAsync(new ClaimHistory.Query(claim))).All(e => e.Imported));
        var verified = await ledger.SendAsync(new Ledger.VerifyLedger.Query());
        Assert.True(verified.Intact, string.Join("; ", verified.Breaks));
        Assert.Equal(verified.Events, verified.Entries);
    }

    [Fact]
    public async Task events_imported_together_in_one_batch_keep_their_own_actor_time_and_correlation()
    {
        await ledger.SendAsync(new ImportSeeds.Command(Seeds));

        await using var session = ledger.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync("no-limits-partnership-declared-at-sco-summit");

        Assert.All(events, e => Assert.Equal(((IClaimEvent)e.Data).Actor, e.UserName));
        Assert.Equal(events.Count, events.Select(e => e.CorrelationId).Distinct().Count());
        Assert.Equal(events.Select(e => e.Timestamp).Order(), events.Select(e => e.Timestamp));
        Assert.Equal(new DateTimeOffset(2026, 10, 14, 9, 30, 0, TimeSpan.Zero), events[^1].Timestamp);
    }

    public static TheoryData<string, string, string> BrokenSeeds => new()
    {
        { "bad span", "claims.json", "appearance.excerpt" },
        { "unknown rating", "scenario.json", "rating" },
        { "duplicate id", "claims.json", "id" },
        { "missing source", "claims.json", "appearance.document" },
        { "broken reference", "scenario.json", "claim" },
        { "wrong type", "claims.json", "appearance.start" },
        { "empty file", "scenario.json", "-" },
        { "invalid UTF-8", "claims.json", "-" },
        { "broken rule", "scenario.json", "action" },
        { "misspelt field", "claims.json", "statment" },
        { "a reason over the request's limit", "scenario.json", "reason" },
        { "path traversal", "sources.json", "file" },
        { "a right-to-left override in a claim's statement", "claims.json", "statement" },
        { "a right-to-left override in a step's reason", "scenario.json", "reason" },
        { "a URL that is not http or https", "sources.json", "url" },
        { "a language that is not a language tag", "sources.json", "language" },
    };

    [Theory]
    [MemberData(nameof(BrokenSeeds))]
    public async Task a_broken_seed_file_is_refused_with_its_own_error_and_nothing_is_written(string breakage, string file, string field)
    {
        var folder = CopyOfSeeds();
        Break(folder, breakage);
        var before = (await ledger.EventCountAsync(), await DocumentCountAsync());

        var invalid = await Assert.ThrowsAsync<SeedValidationException>(() => ledger.SendAsync(new ImportSeeds.Command(folder)));
        Directory.Delete(folder, recursive: true);

        Assert.Contains(invalid.Problems, p => p.File == file && p.Field == field);
        Assert.Equal(before, (await ledger.EventCountAsync(), await DocumentCountAsync()));
    }

    private async Task<long> DocumentCountAsync()
    {
        await using var session = ledger.Store.QuerySession();
        return await session.Query<Documents.SourceDocument>().CountAsync();
    }

    internal static void Break(string folder, string breakage)
    {
        string Path(string file) => System.IO.Path.Combine(folder, file);
        JsonNode Read(string file) => JsonNode.Parse(File.ReadAllText(Path(file)))!;
        void Write(string file, JsonNode node) => File.WriteAllText(Path(file), node.ToJsonString());
        var claims = Read("claims.json");
        var steps = Read("scenario.json");
        var firstClaim = claims["claims"]![0]!;
        switch (breakage)
        {
            case "bad span":
                firstClaim["appearance"]!["start"] = firstClaim["appearance"]!["start"]!.GetValue<int>() + 1;
                Write("claims.json", claims);
                break;
            case "unknown rating":
                steps["steps"]!.AsArray().First(s => s!["action"]!.GetValue<string>() == "verdict")!["rating"] = "Pants on fire";
                Write("scenario.json", steps);
                break;
            case "duplicate id":
                claims["claims"]![1]!["id"] = firstClaim["id"]!.GetValue<string>();
                Write("claims.json", claims);
                break;
            case "missing source":
                firstClaim["appearance"]!["document"] = "no-such-document";
                Write("claims.json", claims);
                break;
            case "broken reference":
                steps["steps"]![0]!["claim"] = "no-such-claim";
                Write("scenario.json", steps);
                break;
            case "wrong type":
                firstClaim["appearance"]!["start"] = "twelve";
                Write("claims.json", claims);
                break;
            case "empty file":
                File.WriteAllText(Path("scenario.json"), "");
                break;
            case "invalid UTF-8":
                File.WriteAllBytes(Path("claims.json"), [.. "{\"claims\": [\""u8.ToArray(), 0xC3, 0x28, .. "\"]}"u8.ToArray()]);
                break;
            case "a reason over the request's limit":
                steps["steps"]!.AsArray().First(s => s!["action"]!.GetValue<string>() == "dispute")!["reason"] = new string('x', 2_001);
                Write("scenario.json", steps);
                break;
            case "misspelt field":
                firstClaim["statment"] = "typo";
                Write("claims.json", claims);
                break;
            case "a right-to-left override in a claim's statement":
                firstClaim["statement"] = "Trade \u202Enoillirt 82.1\u202C hit a record";
                Write("claims.json", claims);
                break;
            case "a right-to-left override in a step's reason":
                steps["steps"]!.AsArray().First(s => s!["action"]!.GetValue<string>() == "dispute")!["reason"] = "looks \u202Edrawkcab";
                Write("scenario.json", steps);
                break;
            case "a URL that is not http or https":
                var linked = Read("sources.json");
                linked["documents"]![0]!["url"] = "javascript:alert(1)";
                Write("sources.json", linked);
                break;
            case "a language that is not a language tag":
                var tagged = Read("sources.json");
                tagged["documents"]![0]!["language"] = "English!";
                Write("sources.json", tagged);
                break;
            case "path traversal":
                var sources = Read("sources.json");
                sources["documents"]![0]!["file"] = "../../../etc/passwd";
                Write("sources.json", sources);
                break;
            case "broken rule":
                var retraction = steps["steps"]!.AsArray().First(s => s!["action"]!.GetValue<string>() == "retract")!;
                var after = JsonNode.Parse(retraction.ToJsonString())!;
                after["id"] = "s9999";
                after["at"] = "2026-11-19T23:00:00Z";
                steps["steps"]!.AsArray().Add(after);
                Write("scenario.json", steps);
                break;
        }
    }

    internal static string CopyOfSeeds()
    {
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"claimledger-seeds-{Guid.NewGuid():N}");
        foreach (var file in Directory.GetFiles(Seeds, "*", SearchOption.AllDirectories))
        {
            var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(Seeds, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }
}
