using System.ComponentModel;
using System.Globalization;
using System.Text;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Matching;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class ImportReviewsSettings : ReadSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("schema.org ClaimReview JSON-LD: one object, an array, an @graph, a DataFeed, or JSON Lines of them")]
    public string File { get; init; } = "";
}

[Description("Import other fact-checkers' published reviews (ClaimReview JSON-LD) for matching; checks every item first and writes nothing if any is wrong")]
internal sealed class ImportReviewsCommand : LedgerCommand<ImportReviewsSettings>
{
    public const string Verb = "import-reviews";

    protected override async Task<int> RunAsync(LedgerClient ledger, ImportReviewsSettings s, CancellationToken ct)
    {
        var result = s.Json || Console.IsErrorRedirected
            ? await ledger.Send(new ImportReviews.Command(s.File), ct)
            : await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Reading reviews", maxValue: 1);
                    var reporter = new Progress<ImportReviews.Progress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = $"{p.Stage} {p.Done:N0} of {p.Total:N0} reviews";
                    });
                    return await ledger.Send(new ImportReviews.Command(s.File, reporter), ct);
                });
        if (s.Json)
        {
            Output.WriteJson(result);
        }
        else
        {
            AnsiConsole.MarkupLine(
                $"[green]Imported[/] {result.Read:N0} reviews in {result.Elapsed.TotalSeconds:F1} s: {result.Added:N0} added, {result.Updated:N0} updated, {result.Unchanged:N0} unchanged.");
        }

        return ExitCodes.Ok;
    }
}

internal sealed class MatchSettings : ReadSettings
{
    [CommandArgument(0, "[TEXT]")] [Description("The claim, sentence or post to match")] public string? Text { get; init; }
    [CommandOption("--top <N>")] [Description("How many matches (default 5, at most 100)")] public int Top { get; init; } = 5;
    [CommandOption("--queries <FILE.tsv>")] [Description("Match every line of FILE (id<TAB>text) instead of TEXT")] public string? Queries { get; init; }
    [CommandOption("--out <RUN.tsv>")] [Description("With --queries: write the results here in TREC run format")] public string? Out { get; init; }

    public override ValidationResult Validate() =>
        (Text, Queries, Out) switch
        {
            (null, null, _) => ValidationResult.Error("Give the TEXT to match, or --queries FILE.tsv --out RUN.tsv."),
            (not null, not null, _) => ValidationResult.Error("Give either TEXT or --queries, not both."),
            (null, not null, null) => ValidationResult.Error("--queries needs --out RUN.tsv for the results."),
            (not null, null, not null) => ValidationResult.Error("--out goes with --queries."),
            _ => ValidationResult.Success(),
        };
}

[Description("Has this been checked before? The desk's claims and imported reviews that say the same thing, best first")]
internal sealed class MatchCommand : LedgerCommand<MatchSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, MatchSettings s, CancellationToken ct)
    {
        if (s.Queries is not null)
        {
            return await RunBatchAsync(ledger, s.Queries, s.Out!, s.Top, ct);
        }

        var result = await ledger.Send(new MatchClaims.Query(s.Text!, s.Top), ct);
        if (s.Json)
        {
            Output.WriteJson(result);
            return ExitCodes.Ok;
        }

        if (result.Matches.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]Nothing to match against yet: record claims, or import reviews with[/] claimledger import reviews FILE");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("Score").AddColumn("What").AddColumn("Verdict").AddColumn("Source");
        foreach (var m in result.Matches)
        {
            var source = m.Kind == MatchKind.Claim
                ? $"desk claim [bold]{Output.Escape(m.Id)}[/]\n{Output.Escape(m.Publisher)} ({Output.Escape(m.Document)})"
                : $"{Output.Escape(m.Publisher ?? "review")} {Output.Escape(m.Date)}\n{Output.Escape(m.Url ?? m.Id)}";
            table.AddRow(m.Rank.ToString(CultureInfo.InvariantCulture), m.Score.ToString("F3", CultureInfo.InvariantCulture),
                Output.Escape(m.Statement), Output.Escape(m.Verdict ?? (m.Kind == MatchKind.Claim ? "no verdict yet" : "no rating")), source);
        }

        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// TREC run format, one line per result: query id, Q0, result id, rank, score, run name. Every line is checked
    /// before any query runs, so a bad file fails at once and names its lines.
    /// </summary>
    private static async Task<int> RunBatchAsync(LedgerClient ledger, string path, string output, int top, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new RequestValidationException([new("queries", $"a file of id<TAB>text lines; '{path}' does not exist")]);
        }

        var queries = new List<(string Id, string Text)>();
        var errors = new List<FieldError>();
        var number = 0;
        var stripped = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || tab == line.Length - 1 || line.AsSpan(0, tab).ContainsAny(" \t"))
            {
                errors.Add(new($"line {number}", "id<TAB>text, with an id without spaces and some text"));
                continue;
            }

            // Posts scraped in bulk carry invisible marks (bidi isolates, zero-width joiners) that a single query is refused
            // for; they say nothing about the claim, so a batch drops them and says how many queries had them.
            var text = line[(tab + 1)..];
            if (RequestRules.HasHiddenCharacters(text))
            {
                text = string.Concat(text.Where(c => !RequestRules.HasHiddenCharacters(c.ToString())));
                stripped++;
            }

            queries.Add((line[..tab], text));
        }

        if (errors.Count > 0 || queries.Count == 0)
        {
            throw new RequestValidationException(errors.Count > 0 ? errors : [new("queries", "at least one id<TAB>text line")]);
        }

        if (stripped > 0)
        {
            Output.Error.MarkupLine($"{stripped:N0} queries had invisible control or bidirectional characters; they were removed before matching.");
        }

        var run = new StringBuilder();
        var latencies = new List<double>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("Matching", maxValue: queries.Count);
            foreach (var (id, text) in queries)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await ledger.Send(new MatchClaims.Query(text, top), ct);
                latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                foreach (var m in result.Matches)
                {
                    run.Append(CultureInfo.InvariantCulture, $"{id}\tQ0\t{m.Id}\t{m.Rank}\t{m.Score:F4}\tclaimledger\n");
                }

                task.Increment(1);
            }
        });

        await File.WriteAllTextAsync(output, run.ToString(), ct);
        // The first query also loads the model and the index once per process; it is reported apart from the rest.
        var first = latencies[0];
        var steady = latencies.Count > 1 ? latencies.Skip(1).Order().ToList() : latencies;
        Output.Error.MarkupLine(
            $"Matched {queries.Count:N0} queries into {Output.Escape(output)}: per query p50 {Percentile(steady, 0.5):F1} ms, p99 {Percentile(steady, 0.99):F1} ms (the first, loading the model and index, {first:F0} ms).");
        return ExitCodes.Ok;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal sealed class DecideMatchSettings : ClaimWriteSettings
{
    [CommandOption("--with-claim <CLAIM-ID>")] [Description("The desk claim it matches")] public string? WithClaim { get; init; }
    [CommandOption("--with-review <ID-OR-URL>")] [Description("The imported review it matches: its identifier, else its URL")] public string? WithReview { get; init; }
    [CommandOption("--reject")] [Description("Record that it does NOT say the same (default: confirm)")] public bool Reject { get; init; }
    [CommandOption("--reason <TEXT>")] [Description("Why (required)")] public string Reason { get; init; } = "";

    public override ValidationResult Validate() =>
        (WithClaim is null) == (WithReview is null)
            ? ValidationResult.Error("Give exactly one of --with-claim CLAIM-ID or --with-review ID-OR-URL.")
            : ValidationResult.Success();
}

[Description("Confirm (or --reject) that a claim says the same as another desk claim or an imported review; recorded in its history")]
internal sealed class DecideMatchCommand : ClaimWriteCommand<DecideMatchSettings>
{
    protected override MediatR.IRequest<WriteResult> Build(DecideMatchSettings s) =>
        new DecideMatch.Command(s.ClaimId, s.WithClaim is null ? MatchKind.Review : MatchKind.Claim, s.WithClaim ?? s.WithReview!,
            s.Reject ? ClaimLedger.Claims.MatchDecision.Rejected : ClaimLedger.Claims.MatchDecision.Confirmed, s.Reason, s.ExpectedVersion, s.Context());
}
