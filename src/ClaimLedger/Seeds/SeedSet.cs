using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;

namespace ClaimLedger.Seeds;

internal sealed record SeedDocument(RegisterDocument.Command Command);

/// <summary>A claim of claims.json, read into the very command the CLI sends to record it.</summary>
internal sealed record SeedClaim(string Id, RecordClaim.Command Command, DateTimeOffset At, string By, string Hash)
{
    public string StepId => $"record:{Id}";
}

/// <summary>A step of scenario.json, read into the very command the CLI sends for it.</summary>
internal sealed record SeedStep(string Id, string ClaimId, DateTimeOffset At, string By, IClaimCommand Command, string Hash);

/// <summary>
/// The seed files read and checked as a whole: schema, each entry's command against its own request validator, spans
/// against the documents' text, references between entries, and every rule of the ledger, by replaying the scenario
/// through <see cref="ClaimDecisions.Decide"/> in memory. It also serves as the checked sources those decisions read.
/// </summary>
internal sealed class SeedSet : ICheckedSources
{
    public const string SourcesFile = "sources.json";
    public const string ClaimsFile = "claims.json";
    public const string ScenarioFile = "scenario.json";
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public List<SeedDocument> Documents { get; } = [];
    public List<SeedClaim> Claims { get; } = [];
    public List<SeedStep> Steps { get; } = [];
    public List<SeedProblem> Problems { get; } = [];

    /// <summary>
    /// A part of these seeds written out by an import after they passed every check: its entries are read again
    /// without running each request's validator a second time, and its problems (ledger rules) land in this set's list.
    /// </summary>
    public SeedSet Part(string folder)
    {
        var part = new SeedSet(Problems, _texts) { Folder = folder, Trusted = true };
        part.Documents.AddRange(Documents);
        return part;
    }

    private SeedSet(List<SeedProblem> problems, Dictionary<string, (string Id, string Text, string Publisher)> texts)
    {
        Problems = problems;
        _texts = texts;
    }

    private SeedSet()
    {
    }

    private bool Trusted { get; init; }

    /// <summary>How much of the seed files has been read so far, for progress on a streamed import.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The folder the seed files are read from.</summary>
    public string Folder { get; private init; } = ".";

    /// <summary>Reads a seeds folder, or one seed file together with the sources.json beside it, whole, and checks every rule.</summary>
    public static SeedSet Load(string path)
    {
        var set = Open(path);
        var only = Directory.Exists(path) ? null : Path.GetFileName(path);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            return set;
        }

        if (only is null or ClaimsFile)
        {
            set.Claims.AddRange(set.ReadClaims());
        }

        if (only is null or ScenarioFile)
        {
            var claims = set.Claims.ToDictionary(c => c.Id, c => c.At);
            set.Steps.AddRange(set.ReadScenario(only is null ? id => claims.TryGetValue(id, out var at) ? at : null : null));
        }

        if (set.Problems.Count == 0)
        {
            set.Simulate();
        }

        return set;
    }

    /// <summary>
    /// Reads and checks sources.json and the documents it names, leaving claims and scenario to be streamed
    /// with <see cref="ReadClaims"/> and <see cref="ReadScenario"/>.
    /// </summary>
    public static SeedSet Open(string path)
    {
        var set = new SeedSet { Folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." };
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            set.Problems.Add(new(path, "-", "path", "a seeds folder (holding sources.json, claims.json, scenario.json) or one of those files; nothing is there"));
            return set;
        }

        set.ReadSources();
        return set;
    }

    /// <summary>The entries of one seed file's array, read one at a time; a file that cannot be read is a problem, not an exception.</summary>
    private IEnumerable<EntryReader> Entries(string file, string arrayName, string kind)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path))
        {
            Problems.Add(new(file, "-", "-", $"the file is missing from {Folder}"));
            yield break;
        }

        using var elements = JsonArrayStream.Elements(path, arrayName, maxDepth: 16, read => BytesRead += read).GetEnumerator();
        for (var index = 0; ; index++)
        {
            JsonElement item;
            try
            {
                if (!elements.MoveNext())
                {
                    yield break;
                }

                item = elements.Current;
            }
            catch (DecoderFallbackException)
            {
                Problems.Add(new(file, "-", "-", "the file is not valid UTF-8"));
                yield break;
            }
            catch (JsonException e)
            {
                Problems.Add(new(file, $"line {e.LineNumber + 1}", "-", $"malformed JSON: {e.Message}"));
                yield break;
            }
            catch (JsonShapeException e)
            {
                Problems.Add(e.Empty
                    ? new(file, "-", "-", "the file is empty; expected a JSON object")
                    : new(file, "-", arrayName, $"a JSON object with an array \"{arrayName}\""));
                yield break;
            }

            var label = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? $"{kind}[{index}] '{id.GetString()}'"
                : $"{kind}[{index}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                yield return new EntryReader(file, label, item, Problems, locate: Locate);
            }
            else
            {
                Problems.Add(new(file, label, "-", "an object"));
            }
        }
    }

    private readonly Dictionary<string, (string Id, string Text, string Publisher)> _texts = [];

    private (int? Start, string? Problem) Locate(string documentId, string excerpt)
    {
        if (!_texts.TryGetValue(documentId, out var document))
        {
            return (null, $"a span of a document in {SourcesFile}; '{documentId}' is not there");
        }

        var first = document.Text.IndexOf(excerpt, StringComparison.Ordinal);
        if (first < 0 || excerpt.Length == 0)
        {
            return (null, $"text that occurs in '{documentId}'; \"{excerpt}\" does not (give start and end with the exact excerpt)");
        }

        return document.Text.IndexOf(excerpt, first + 1, StringComparison.Ordinal) >= 0
            ? (null, $"text that occurs once in '{documentId}'; \"{excerpt}\" occurs more than once, so give its start and end")
            : (first, null);
    }

    private void ReadSources()
    {
        var folder = Folder;
        var ids = new HashSet<string>();
        foreach (var entry in Entries(SourcesFile, "documents", "documents"))
        {
            entry.AllowOnly("id", "file", "facts", "publisher", "title", "publishedOn", "retrievedOn", "dateInferred", "dateInferenceReason", "language", "url", "archiveUrl", "attributedTo", "kind");
            var id = UniqueSlug(entry, ids);
            var file = entry.String("file", required: false);
            var publisher = entry.String("publisher", maxLength: 200);
            var title = entry.String("title", maxLength: 500);
            var language = entry.String("language", maxLength: 20) ?? "en";
            var url = entry.String("url", required: false);
            var kind = entry.Enum<DocumentKind>("kind", k => k switch
            {
                "article" => DocumentKind.Article, "evidence" => DocumentKind.Evidence, "cited" => DocumentKind.Cited, _ => (DocumentKind?)null,
            }, "article, evidence or cited");
            var (archiveUrl, attributedTo) = (entry.String("archiveUrl", required: false), entry.String("attributedTo", required: false, maxLength: 200));
            var retrievedOn = entry.Date("retrievedOn", required: kind == DocumentKind.Cited);
            var publishedOn = entry.Date("publishedOn", required: false);

            var dateInference = entry.Bool("dateInferred") ? entry.String("dateInferenceReason", required: false) : null;
            if (entry.Bool("dateInferred") && dateInference is null)
            {
                entry.Problem("dateInferenceReason", "required when dateInferred is true: say how the date was inferred");
            }

            string? text = null;
            if (kind == DocumentKind.Cited)
            {
                // A cited source is not held in full: its text is the facts it supports, in the checker's words, a line each.
                var facts = entry.Strings("facts", required: true);
                text = facts.Count > 0 ? string.Join("\n", facts) : null;
                if (file is not null)
                {
                    entry.Problem("file", "no file for a cited source: give the facts it supports instead");
                }
            }
            else if (file is null)
            {
                entry.Problem("file", "required: the document's text file, relative to the seeds folder");
            }
            else
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

            var register = new RegisterDocument.Command(id, publisher, title, publishedOn, url, language, kind.Value, text, new WriteContext("seed import", $"import:document:{id}"))
            {
                RetrievedOn = retrievedOn, ArchiveUrl = archiveUrl, AttributedTo = attributedTo, DateInference = dateInference,
            };
            if (!Report(entry, register))
            {
                continue;
            }

            _texts[id] = (id, text, publisher);
            Documents.Add(new SeedDocument(register));
        }
    }

    /// <summary>The claims of claims.json, each checked as it is read; a claim with a problem is reported and not returned.</summary>
    /// <param name="copy">Given each returned claim's JSON entry, while it is still readable.</param>
    public IEnumerable<SeedClaim> ReadClaims(Action<string, JsonElement>? copy = null)
    {
        var ids = new HashSet<string>();
        foreach (var entry in Entries(ClaimsFile, "claims", "claims"))
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

            var hash = entry.Hash();
            var command = new RecordClaim.Command(id, kind.Value, statement, value, appearance, ImportContext(by, at.Value, $"record:{id}", hash));
            if (!Trusted && !Report(entry, command))
            {
                continue;
            }

            CheckSpan(entry, "appearance", appearance);
            copy?.Invoke(id, entry.Element);
            yield return new SeedClaim(id, command, at.Value, by, hash);
        }
    }

    /// <summary>
    /// The steps of scenario.json, each checked as it is read; a step with a problem is reported and not returned.
    /// </summary>
    /// <param name="recordedAt">When each claim was recorded, or null for a claim not in claims.json; null to skip both checks.</param>
    /// <param name="copy">Given each returned step's claim id and JSON entry, while it is still readable.</param>
    public IEnumerable<SeedStep> ReadScenario(Func<string, DateTimeOffset?>? recordedAt, Action<string, JsonElement>? copy = null)
    {
        // Fingerprints rather than the ids themselves keep a million-step scenario's check in a few megabytes.
        var ids = new HashSet<UInt128>();
        SeedStep? previous = null;
        foreach (var entry in Entries(ScenarioFile, "steps", "steps"))
        {
            var id = entry.String("id", maxLength: 80);
            if (id is not null && !Trusted && !ids.Add(Fingerprint(id)))
            {
                entry.Problem("id", $"unique; '{id}' is used by an earlier step");
            }

            var at = entry.Time("at");
            var by = entry.String("by", maxLength: RequestRules.MaxActorLength);
            var claimId = entry.String("claim", maxLength: 80);
            var claimAt = claimId is null ? null : recordedAt?.Invoke(claimId);
            if (claimId is not null && recordedAt is not null && claimAt is null)
            {
                entry.Problem("claim", $"the id of a claim in {ClaimsFile}; '{claimId}' is not there");
            }

            var action = ReadAction(entry);
            if (id is null || at is null || by is null || claimId is null || action is null)
            {
                continue;
            }

            var hash = entry.Hash();
            var command = action(claimId, ImportContext(by, at.Value, id, hash));
            if (!Trusted)
            {
                Report(entry, command);
            }

            foreach (var (field, reference) in command.Citations)
            {
                CheckSpan(entry, field, reference);
            }

            if (claimAt is { } recorded && at < recorded)
            {
                entry.Problem("at", $"a time after the claim was recorded ({recorded:u}); got {at:u}");
            }

            var step = new SeedStep(id, claimId, at.Value, by, command, hash);
            if (previous is not null && step.At < previous.At)
            {
                Problems.Add(new(ScenarioFile, $"steps '{step.Id}'", "at", $"steps in time order; this one is earlier than '{previous.Id}' ({previous.At:u})"));
            }

            previous = step;
            copy?.Invoke(claimId, entry.Element);
            yield return step;
        }
    }

    private static UInt128 Fingerprint(string id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>The request a step's action names, still to be given its claim and write context, or null when the entry cannot make one.</summary>
    private static Func<string, WriteContext, IClaimCommand>? ReadAction(EntryReader entry)
    {
        var action = entry.String("action", maxLength: 40);
        string[] common = ["id", "at", "by", "claim", "action"];
        string[]? specific = action switch
        {
            "attach-source" => ["source", "stance", "reason"],
            "corroborate" => ["source", "reason"],
            "dispute" => ["reason", "evidence"],
            "amend-record" => ["field", "newValue", "reason", "appearance"],
            "finding" => ["field", "established", "note", "evidence"],
            "attribution" => ["result", "note", "evidence", "sourcesTried"],
            "verdict" => ["rating", "rationale", "evidence", "sourcesTried"],
            "retract" => ["reason"],
            _ => null,
        };
        if (specific is not null)
        {
            entry.AllowOnly([.. common, .. specific]);
        }

        IReadOnlyList<SourceRef> Evidence() => entry.Array("evidence", required: false).Select(e => e.ReadSourceRef()).OfType<SourceRef>().ToArray();
        switch (action)
        {
            case "attach-source":
                var stance = entry.Enum<Stance>("stance", s => s switch { "supports" => Stance.Supports, "contradicts" => Stance.Contradicts, "mentions" => Stance.Mentions, _ => (Stance?)null },
                    "supports, contradicts or mentions");
                var (source, attachReason) = (entry.SourceRef("source"), entry.String("reason", required: false));
                return source is null || stance is not { } how ? null : (id, c) => new AttachSource.Command(id, source, how, attachReason, null, c);
            case "corroborate":
                var (corroboration, corroborateReason) = (entry.SourceRef("source"), entry.String("reason", required: false));
                return corroboration is null ? null : (id, c) => new CorroborateClaim.Command(id, corroboration, corroborateReason, null, c);
            case "dispute":
                var (disputeReason, disputeEvidence) = (entry.String("reason"), Evidence());
                return disputeReason is null ? null : (id, c) => new DisputeClaim.Command(id, disputeReason, disputeEvidence, null, c);
            case "amend-record":
                var (field, newValue, reason, appearance) = (entry.String("field", maxLength: 40), entry.String("newValue", required: false), entry.String("reason"), entry.SourceRef("appearance"));
                return field is null || reason is null || appearance is null ? null : (id, c) => new AmendRecord.Command(id, field, newValue, reason, appearance, null, c);
            case "finding":
                var (found, established, note, evidence) = (entry.String("field", maxLength: 40), entry.String("established", required: false), entry.String("note"), Evidence());
                return found is null || note is null ? null : (id, c) => new RecordFinding.Command(id, found, established, note, evidence, null, c);
            case "attribution":
                var result = entry.Enum<Attribution>("result", r => Attributions.TryParse(r, out var v) ? v : (Attribution?)null, Attributions.Expected);
                var (attributionNote, attributionEvidence, searched) = (entry.String("note"), Evidence(), entry.Strings("sourcesTried"));
                return result is not { } checkedAs || attributionNote is null ? null
                    : (id, c) => new CheckAttribution.Command(id, checkedAs, attributionNote, attributionEvidence, searched, null, c);
            case "verdict":
                var rating = entry.Enum<Rating>("rating", r => Ratings.TryParse(r, out var v) ? v : (Rating?)null, Ratings.Expected);
                var (rationale, verdictEvidence, tried) = (entry.String("rationale", maxLength: RequestRules.MaxRationaleLength), Evidence(), entry.Strings("sourcesTried"));
                return rating is not { } rated || rationale is null ? null : (id, c) => new IssueVerdict.Command(id, rated, rationale, verdictEvidence, null, c, tried);
            case "correct":
                entry.Problem("action", "no longer a step: a misread record is 'amend-record' (citing the article), and what the evidence establishes is a 'finding'");
                return null;
            case "retract":
                var retraction = entry.String("reason");
                return retraction is null ? null : (id, c) => new RetractClaim.Command(id, retraction, null, c);
            case null:
                return null;
            default:
                entry.Problem("action", $"attach-source, corroborate, dispute, amend-record, finding, attribution, verdict or retract; got '{action}'");
                return null;
        }
    }

    /// <summary>Who wrote a seed entry and when, marked as imported from it, so a re-import recognises what it already holds.</summary>
    private static WriteContext ImportContext(string by, DateTimeOffset at, string stepId, string hash) =>
        new(by, $"import:{stepId}", new ImportMark(at, stepId, hash));

    /// <summary>Checks the request with its own validator, as the CLI and the API would; each invalid field is a problem of the entry.</summary>
    private static bool Report(EntryReader entry, object request)
    {
        var errors = RequestValidation.Check(request);
        foreach (var error in errors)
        {
            entry.Problem(error.Field, error.Message);
        }

        return errors.Count == 0;
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

        if (reference.Problem(document.Text) is { } problem)
        {
            entry.Problem($"{field}.{problem.Field}", problem.Message);
        }
    }

    /// <summary>A span of a seed document, already checked against its text when its entry was read.</summary>
    public ClaimSource this[SourceRef reference]
    {
        get
        {
            // The document's own id string, so a million references share one copy.
            var document = _texts[reference.DocumentId];
            return new(document.Id, document.Publisher, reference.Start, reference.End, reference.Excerpt);
        }
    }

    /// <summary>The event that records a seed claim, decided as every other write is.</summary>
    public ClaimRecorded Record(SeedClaim seed) =>
        (ClaimRecorded)ClaimDecisions.Decide(null, seed.Command, this, LedgerChain.TimeOf(seed.Command.Context, seed.At));

    /// <summary>The event a seed step leads to on the claim as it stands, or null with the refusal added to <see cref="Problems"/>.</summary>
    public IClaimEvent? Apply(SeedStep step, Claim claim)
    {
        try
        {
            return ClaimDecisions.Decide(claim, step.Command, this, LedgerChain.TimeOf(step.Command.Context, step.At));
        }
        catch (ClaimRuleException e)
        {
            Problems.Add(new(ScenarioFile, $"steps '{step.Id}'", "action", $"refused by the ledger's rules ({e.Rule}): {e.Message}"));
        }
        catch (RequestValidationException e)
        {
            Problems.AddRange(e.Errors.Select(error => new SeedProblem(ScenarioFile, $"steps '{step.Id}'", error.Field, error.Message)));
        }

        return null;
    }

    /// <summary>Replays every claim's scenario through Decide and Evolve, so a broken rule is found before anything is written.</summary>
    private void Simulate()
    {
        var states = Claims.ToDictionary(c => c.Id, c => ClaimEvolution.Evolve(null, Record(c))!);
        foreach (var step in Steps.Where(s => states.ContainsKey(s.ClaimId)))
        {
            if (Apply(step, states[step.ClaimId]) is { } decided)
            {
                states[step.ClaimId] = ClaimEvolution.Evolve(states[step.ClaimId], decided)!;
            }
        }
    }
}
