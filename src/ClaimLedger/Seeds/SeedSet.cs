using System.Text;
using System.Text.Json;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;

namespace ClaimLedger.Seeds;

internal sealed record SeedDocument(RegisterDocument.Command Command);

internal sealed record SeedClaim(string Id, RecordClaim.Command Command, DateTimeOffset At, string By, string Hash);

internal sealed record SeedStep(string Id, string ClaimId, DateTimeOffset At, string By, SeedAction Action, string Hash);

/// <summary>
/// The seed files read and checked as a whole: schema, spans against the documents' text, references between
/// entries, and every rule of the ledger, by replaying the scenario through the same Decide functions in memory.
/// </summary>
internal sealed class SeedSet
{
    public const string SourcesFile = "sources.json";
    public const string ClaimsFile = "claims.json";
    public const string ScenarioFile = "scenario.json";
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public List<SeedDocument> Documents { get; } = [];
    public List<SeedClaim> Claims { get; } = [];
    public List<SeedStep> Steps { get; } = [];
    public List<SeedProblem> Problems { get; } = [];

    /// <summary>Reads a seeds folder, or one seed file together with the sources.json beside it.</summary>
    public static SeedSet Load(string path)
    {
        var set = new SeedSet();
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var only = Directory.Exists(path) ? null : Path.GetFileName(path);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            set.Problems.Add(new(path, "-", "path", "a seeds folder (holding sources.json, claims.json, scenario.json) or one of those files; nothing is there"));
            return set;
        }

        set.ReadSources(folder);
        if (only is null or ClaimsFile)
        {
            set.ReadClaims(folder);
        }

        if (only is null or ScenarioFile)
        {
            set.ReadScenario(folder, claimsKnown: only is null);
        }

        if (set.Problems.Count == 0)
        {
            set.Simulate();
        }

        return set;
    }

    private JsonElement? ReadRoot(string folder, string file, string arrayName)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            Problems.Add(new(file, "-", "-", $"the file is missing from {folder}"));
            return null;
        }

        try
        {
            var text = File.ReadAllText(path, StrictUtf8);
            if (string.IsNullOrWhiteSpace(text))
            {
                Problems.Add(new(file, "-", "-", "the file is empty; expected a JSON object"));
                return null;
            }

            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(arrayName, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                Problems.Add(new(file, "-", arrayName, $"a JSON object with an array \"{arrayName}\""));
                return null;
            }

            return array.Clone();
        }
        catch (DecoderFallbackException)
        {
            Problems.Add(new(file, "-", "-", "the file is not valid UTF-8"));
        }
        catch (JsonException e)
        {
            Problems.Add(new(file, $"line {e.LineNumber + 1}", "-", $"malformed JSON: {e.Message}"));
        }

        return null;
    }

    private IEnumerable<EntryReader> Entries(JsonElement array, string file, string kind)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var label = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? $"{kind}[{index}] '{id.GetString()}'"
                : $"{kind}[{index}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                yield return new EntryReader(file, label, item, Problems);
            }
            else
            {
                Problems.Add(new(file, label, "-", "an object"));
            }

            index++;
        }
    }

    private readonly Dictionary<string, (string Text, string Publisher)> _texts = [];

    private void ReadSources(string folder)
    {
        if (ReadRoot(folder, SourcesFile, "documents") is not { } array)
        {
            return;
        }

        var ids = new HashSet<string>();
        foreach (var entry in Entries(array, SourcesFile, "documents"))
        {
            entry.AllowOnly("id", "file", "publisher", "title", "publishedOn", "dateInferred", "dateInferenceReason", "language", "url", "kind");
            var id = UniqueSlug(entry, ids);
            var file = entry.String("file");
            var publisher = entry.String("publisher", maxLength: 200);
            var title = entry.String("title", maxLength: 500);
            var language = entry.String("language", maxLength: 20) ?? "en";
            var url = entry.String("url", required: false);
            var kind = entry.Enum<DocumentKind>("kind", k => k switch { "article" => DocumentKind.Article, "evidence" => DocumentKind.Evidence, _ => (DocumentKind?)null }, "article or evidence");
            var published = entry.String("publishedOn", required: false);
            DateOnly? publishedOn = null;
            if (published is not null)
            {
                publishedOn = DateOnly.TryParseExact(published, "yyyy-MM-dd", out var date) ? date : null;
                if (publishedOn is null)
                {
                    entry.Problem("publishedOn", $"a date as yyyy-MM-dd; got '{published}'");
                }
            }

            if (entry.Bool("dateInferred") && entry.String("dateInferenceReason", required: false) is null)
            {
                entry.Problem("dateInferenceReason", "required when dateInferred is true: say how the date was inferred");
            }

            string? text = null;
            if (file is not null)
            {
                var full = Path.GetFullPath(Path.Combine(folder, file));
                if (!full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    entry.Problem("file", $"a path inside the seeds folder; '{file}' leads outside it");
                }
                else if (!File.Exists(full))
                {
                    entry.Problem("file", $"an existing text file relative to the seeds folder; '{file}' does not exist");
                }
                else
                {
                    try
                    {
                        text = File.ReadAllText(full, StrictUtf8);
                    }
                    catch (DecoderFallbackException)
                    {
                        entry.Problem("file", $"UTF-8 text; '{file}' is not valid UTF-8");
                    }
                }
            }

            if (id is null || text is null || publisher is null || title is null || kind is null)
            {
                continue;
            }

            _texts[id] = (text, publisher);
            Documents.Add(new SeedDocument(new RegisterDocument.Command(id, publisher, title, publishedOn, url, language, kind.Value, text, new WriteContext("seed import"))));
        }
    }

    private void ReadClaims(string folder)
    {
        if (ReadRoot(folder, ClaimsFile, "claims") is not { } array)
        {
            return;
        }

        var ids = new HashSet<string>();
        foreach (var entry in Entries(array, ClaimsFile, "claims"))
        {
            entry.AllowOnly("id", "kind", "statement", "value", "appearance", "recorded");
            var id = UniqueSlug(entry, ids);
            var kind = entry.Enum<ClaimKind>("kind", k => System.Enum.TryParse<ClaimKind>(k, out var v) && System.Enum.IsDefined(v) ? v : (ClaimKind?)null,
                string.Join(", ", System.Enum.GetNames<ClaimKind>()));
            var statement = entry.String("statement", maxLength: RequestRules.MaxStatementLength);
            var value = entry.Object("value")?.Fields();
            var appearance = entry.SourceRef("appearance");
            var recorded = entry.Object("recorded");
            recorded?.AllowOnly("at", "by");
            var (at, by) = (recorded?.Time("at"), recorded?.String("by", maxLength: RequestRules.MaxActorLength));
            if (id is null || kind is null || statement is null || value is null || appearance is null || at is null || by is null)
            {
                continue;
            }

            var errors = new List<FieldError>();
            ClaimValues.Parse(kind.Value, value, errors);
            errors.ForEach(e => entry.Problem(e.Field, e.Message));
            CheckSpan(entry, "appearance", appearance);
            Claims.Add(new SeedClaim(id, new RecordClaim.Command(id, kind.Value, statement, value, appearance, new WriteContext(by)), at.Value, by, entry.Hash()));
        }
    }

    private void ReadScenario(string folder, bool claimsKnown)
    {
        if (ReadRoot(folder, ScenarioFile, "steps") is not { } array)
        {
            return;
        }

        var ids = new HashSet<string>();
        var claims = Claims.ToDictionary(c => c.Id);
        foreach (var entry in Entries(array, ScenarioFile, "steps"))
        {
            var id = entry.String("id", maxLength: 80);
            if (id is not null && !ids.Add(id))
            {
                entry.Problem("id", $"unique; '{id}' is used by an earlier step");
            }

            var at = entry.Time("at");
            var by = entry.String("by", maxLength: RequestRules.MaxActorLength);
            var claimId = entry.String("claim", maxLength: 80);
            if (claimId is not null && claimsKnown && !claims.ContainsKey(claimId))
            {
                entry.Problem("claim", $"the id of a claim in {ClaimsFile}; '{claimId}' is not there");
            }

            var action = ReadAction(entry);
            if (id is null || at is null || by is null || claimId is null || action is null)
            {
                continue;
            }

            foreach (var problem in action.Validate(claimId, new WriteContext(by)))
            {
                entry.Problem(problem[..problem.IndexOf(':', StringComparison.Ordinal)], problem[(problem.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            }

            foreach (var (field, reference) in action.References)
            {
                CheckSpan(entry, field, reference);
            }

            if (claims.TryGetValue(claimId, out var claim) && at < claim.At)
            {
                entry.Problem("at", $"a time after the claim was recorded ({claim.At:u}); got {at:u}");
            }

            Steps.Add(new SeedStep(id, claimId, at.Value, by, action, entry.Hash()));
        }

        for (var i = 1; i < Steps.Count; i++)
        {
            if (Steps[i].At < Steps[i - 1].At)
            {
                Problems.Add(new(ScenarioFile, $"steps '{Steps[i].Id}'", "at", $"steps in time order; this one is earlier than '{Steps[i - 1].Id}' ({Steps[i - 1].At:u})"));
            }
        }
    }

    private static SeedAction? ReadAction(EntryReader entry)
    {
        var action = entry.String("action", maxLength: 40);
        string[] common = ["id", "at", "by", "claim", "action"];
        string[]? specific = action switch
        {
            "attach-source" => ["source", "stance", "reason"],
            "corroborate" => ["source", "reason"],
            "dispute" => ["reason", "evidence"],
            "correct" => ["field", "newValue", "reason", "evidence"],
            "verdict" => ["rating", "rationale", "evidence"],
            "retract" => ["reason"],
            _ => null,
        };
        if (specific is not null)
        {
            entry.AllowOnly([.. common, .. specific]);
        }

        IReadOnlyList<SourceRef> Evidence() => entry.Array("evidence", required: false).Select(e => e.ReadSourceRef()).OfType<SourceRef>().ToArray();
        static IReadOnlyList<(string, SourceRef)> Cited(IReadOnlyList<SourceRef> evidence) => evidence.Select((e, i) => ($"evidence[{i}]", e)).ToArray();
        switch (action)
        {
            case "attach-source":
                var stance = entry.Enum<Stance>("stance", s => s switch { "supports" => Stance.Supports, "contradicts" => Stance.Contradicts, "mentions" => Stance.Mentions, _ => (Stance?)null },
                    "supports, contradicts or mentions");
                var (source, attachReason) = (entry.SourceRef("source"), entry.String("reason", required: false));
                return source is null || stance is not { } how ? null : new SeedAction(action, [("source", source)],
                    (id, c) => new AttachSource.Command(id, source, how, attachReason, null, c),
                    (claim, resolve, by, at) => AttachSource.Decide(claim, resolve(source), how, attachReason, by, at));
            case "corroborate":
                var (corroboration, corroborateReason) = (entry.SourceRef("source"), entry.String("reason", required: false));
                return corroboration is null ? null : new SeedAction(action, [("source", corroboration)],
                    (id, c) => new CorroborateClaim.Command(id, corroboration, corroborateReason, null, c),
                    (claim, resolve, by, at) => CorroborateClaim.Decide(claim, resolve(corroboration), corroborateReason, by, at));
            case "dispute":
                var (disputeReason, disputeEvidence) = (entry.String("reason"), Evidence());
                return disputeReason is null ? null : new SeedAction(action, Cited(disputeEvidence),
                    (id, c) => new DisputeClaim.Command(id, disputeReason, disputeEvidence, null, c),
                    (claim, resolve, by, at) => DisputeClaim.Decide(claim, disputeReason, disputeEvidence.Select(resolve).ToArray(), by, at));
            case "correct":
                var (field, newValue, reason, evidence) = (entry.String("field", maxLength: 40), entry.String("newValue", required: false), entry.String("reason"), Evidence());
                return field is null || reason is null ? null : new SeedAction(action, Cited(evidence),
                    (id, c) => new CorrectClaim.Command(id, field, newValue, reason, evidence, null, c),
                    (claim, resolve, by, at) => CorrectClaim.Decide(claim, field, newValue, reason, evidence.Select(resolve).ToArray(), by, at));
            case "verdict":
                var rating = entry.Enum<Rating>("rating", r => Ratings.TryParse(r, out var v) ? v : (Rating?)null, Ratings.Expected);
                var (rationale, verdictEvidence) = (entry.String("rationale", maxLength: RequestRules.MaxRationaleLength), Evidence());
                return rating is not { } rated || rationale is null ? null : new SeedAction(action, Cited(verdictEvidence),
                    (id, c) => new IssueVerdict.Command(id, rated, rationale, verdictEvidence, null, c),
                    (claim, resolve, by, at) => IssueVerdict.Decide(claim, rated, rationale, verdictEvidence.Select(resolve).ToArray(), by, at));
            case "retract":
                var retraction = entry.String("reason");
                return retraction is null ? null : new SeedAction(action, [],
                    (id, c) => new RetractClaim.Command(id, retraction, null, c),
                    (claim, _, by, at) => RetractClaim.Decide(claim, retraction, by, at));
            case null:
                return null;
            default:
                entry.Problem("action", $"attach-source, corroborate, dispute, correct, verdict or retract; got '{action}'");
                return null;
        }
    }

    private static string? UniqueSlug(EntryReader entry, HashSet<string> taken)
    {
        var id = entry.String("id", maxLength: 80);
        if (id is null)
        {
            return null;
        }

        if (!Slug.IsValid(id))
        {
            entry.Problem("id", $"{Slug.Expected}; got '{id}'");
            return null;
        }

        if (!taken.Add(id))
        {
            entry.Problem("id", $"unique; '{id}' is used by an earlier entry");
            return null;
        }

        return id;
    }

    private void CheckSpan(EntryReader entry, string field, SourceRef reference)
    {
        if (!_texts.TryGetValue(reference.DocumentId, out var document))
        {
            entry.Problem($"{field}.document", $"the id of a document in {SourcesFile}; '{reference.DocumentId}' is not there");
            return;
        }

        if (SourceReferences.SpanProblem(document.Text, reference) is { } problem)
        {
            entry.Problem($"{field}.{problem.Field}", problem.Message);
        }
    }

    private ClaimSource Resolve(SourceRef reference) =>
        new(reference.DocumentId, _texts[reference.DocumentId].Publisher, reference.Start, reference.End, reference.Excerpt);

    /// <summary>Replays every claim's scenario through Decide and Evolve, so a broken rule is found before anything is written.</summary>
    private void Simulate()
    {
        var states = new Dictionary<string, Claim?>();
        foreach (var seed in Claims)
        {
            var value = ClaimValues.Parse(seed.Command.Kind, seed.Command.Value, []);
            states[seed.Id] = ClaimEvolution.Evolve(null,
                RecordClaim.Decide(seed.Id, seed.Command.Statement, value!, Resolve(seed.Command.Appearance), seed.By, seed.At));
        }

        foreach (var step in Steps.Where(s => states.ContainsKey(s.ClaimId)))
        {
            try
            {
                var claim = states[step.ClaimId]!;
                states[step.ClaimId] = ClaimEvolution.Evolve(claim, step.Action.Decide(claim, Resolve, step.By, step.At));
            }
            catch (ClaimRuleException e)
            {
                Problems.Add(new(ScenarioFile, $"steps '{step.Id}'", "action", $"refused by the ledger's rules ({e.Rule}): {e.Message}"));
            }
            catch (RequestValidationException e)
            {
                Problems.AddRange(e.Errors.Select(error => new SeedProblem(ScenarioFile, $"steps '{step.Id}'", error.Field, error.Message)));
            }
        }
    }
}
