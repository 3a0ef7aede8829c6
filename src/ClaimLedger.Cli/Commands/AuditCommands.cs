using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Ledger;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal class OutputFileSettings : LedgerSettings
{
    [CommandOption("--out <FILE>")]
    [Description("Write to FILE instead of standard output")]
    public string? Out { get; init; }
}

internal static class JsonFile
{
    public static void Write<T>(T value, string? path)
    {
        if (path is null)
        {
            Output.WriteJson(value);
            return;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(value, Output.Json));
        Output.Error.MarkupLine($"Wrote {Output.Escape(path)}");
    }

    public static T Read<T>(string path, string field) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Output.Json)
                ?? throw new RequestValidationException([new(field, $"a JSON file; {path} is empty")]);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new(field, $"a readable JSON file written by claimledger; {path}: {e.Message}")]);
        }
    }
}

[Description("Print the ledger's digest (tree size and Merkle root) for an auditor to keep outside the database")]
internal sealed class DigestCommand : LedgerCommand<OutputFileSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, OutputFileSettings s, CancellationToken ct)
    {
        JsonFile.Write(await ledger.Send(new GetDigest.Query(), ct), s.Out);
        ReportTail(await ledger.Send(new GetSequencerStatus.Query(), ct));
        return ExitCodes.Ok;
    }

    /// <summary>Says, on standard error, what committed after the read and is not covered by it yet.</summary>
    internal static void ReportTail(SequencerStatus status)
    {
        if (status.Unsequenced > 0)
        {
            Output.Error.MarkupLine($"[yellow]{status.Unsequenced:N0} entries committed since are not sequenced yet[/] and not covered (the log holds {status.Sequenced:N0}).");
        }
    }
}

internal sealed class VerifySettings : ReadSettings
{
    [CommandOption("--digest <FILE>")]
    [Description("A digest kept earlier (claimledger audit digest --out FILE): also proves history was not rewritten since")]
    public string? Digest { get; init; }
}

[Description("Recompute every entry hash and chain from the raw rows; exit 0 when intact, 1 when not")]
internal sealed class VerifyCommand : LedgerCommand<VerifySettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, VerifySettings s, CancellationToken ct)
    {
        var kept = s.Digest is null ? null : Digest.Read(s.Digest);
        if (s.Json)
        {
            var result = await ledger.Send(new VerifyLedger.Query(kept), ct);
            Output.WriteJson(result);
            return result.Intact ? ExitCodes.Ok : ExitCodes.Refused;
        }

        var report = await AnsiConsole.Status().StartAsync("Verifying the ledger…", _ => ledger.Send(new VerifyLedger.Query(kept), ct));

        AnsiConsole.MarkupLine($"Checked {report.Entries:N0} ledger entries, {report.Events:N0} events of {report.Claims:N0} claims in {report.Elapsed.TotalSeconds:F2} s.");
        if (report.Unsequenced > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{report.Unsequenced:N0} of the entries committed while this ran are not sequenced yet:[/] their chains were checked, the tree below does not cover them.");
        }

        AnsiConsole.MarkupLine($"Tree size {report.Current.TreeSize:N0}, root [bold]{report.Current.RootHash}[/]");
        if (kept is not null)
        {
            AnsiConsole.MarkupLine($"Compared with the digest kept at {kept.ComputedAt:u} (size {kept.TreeSize:N0}).");
        }

        if (report.Intact)
        {
            AnsiConsole.MarkupLine("[green]Intact:[/] no event or ledger entry was edited, deleted, reordered or added behind the ledger's back.");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).Fit().AddColumns("Claim", "Version", "What happened", "Detail");
        foreach (var b in report.Breaks)
        {
            table.AddRow(Output.Escape(b.ClaimId), b.Version?.ToString(CultureInfo.InvariantCulture) ?? "—", $"[red]{Output.Escape(b.Kind)}[/]", Output.Escape(b.Detail));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[red]Not intact:[/] {report.Breaks.Count} break(s).");
        return ExitCodes.Refused;
    }
}

internal sealed class ProofSettings : SigningKeySettings
{
    [CommandArgument(0, "<CLAIM-ID>")] [Description("The claim whose entry to prove")] public string ClaimId { get; init; } = "";
    [CommandOption("--version <N>")] [Description("The entry of this version (default: the claim's latest within the tree)")] public long? Version { get; init; }

    [CommandOption("--checkpoint <FILE>")]
    [Description("Prove against this signed checkpoint's tree and carry it in the proof (default: the current tree, with no trusted root)")]
    public string? Checkpoint { get; init; }
}

[Description("Emit an inclusion proof of a claim's entry, carrying the entry's fields, against a checkpoint or the current tree")]
internal sealed class ProofCommand : LedgerCommand<ProofSettings>
{
    protected override Transparency.TransparencyOptions TransparencyOptionsFor(ProofSettings settings) => settings.Options();

    protected override async Task<int> RunAsync(LedgerClient ledger, ProofSettings s, CancellationToken ct)
    {
        var checkpoint = s.Checkpoint is null ? null : SigningKeySettings.ReadCheckpoint(s.Checkpoint, s.LogKey(ledger), "checkpoint");
        var proof = await ledger.Send(new ProveClaim.Query(s.ClaimId, s.Version, checkpoint?.Checkpoint.Size, checkpoint?.Note.Encoded), ct);
        if (checkpoint is not null && !string.Equals(proof.RootHash, checkpoint.Checkpoint.RootHex, StringComparison.OrdinalIgnoreCase))
        {
            Output.Error.MarkupLine($"[red]refused (history-rewritten):[/] the ledger's first {checkpoint.Checkpoint.Size:N0} entries hash to {proof.RootHash}, not to the checkpoint's root {checkpoint.Checkpoint.RootHex}. Run claimledger audit verify.");
            return ExitCodes.Refused;
        }

        JsonFile.Write(proof, s.Out);
        return ExitCodes.Ok;
    }
}

internal sealed class CheckProofSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")] [Description("A proof written by claimledger audit proof or audit consistency")] public string File { get; init; } = "";
    [CommandOption("--key <VKEY>")] [Description("The log's public key (verifier key text or a file holding it): the proof must hold against a checkpoint it signed")] public string? Key { get; init; }
    [CommandOption("--checkpoint <FILE>")] [Description("A signed checkpoint to check an inclusion proof against, instead of the one it carries")] public string? Checkpoint { get; init; }
    [CommandOption("--digest <FILE>")] [Description("Or: a digest kept earlier; the proof's root must be this digest's root")] public string? Digest { get; init; }
}

[Description("Check an inclusion or consistency proof offline, with only the log's public key or a kept digest; exit 0 only when it is proven")]
internal sealed class CheckProofCommand : Command<CheckProofSettings>
{
    protected override int Execute(CommandContext context, CheckProofSettings s, CancellationToken cancellationToken)
    {
        var key = s.Key is null ? null : Transparency.SigningKeyFile.ParseVerifier(s.Key, "key");
        var format = JsonFile.Read<JsonDocument>(s.File, "file").RootElement is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format == Transparency.ConsistencyProofFile.CurrentFormat)
        {
            return Show(Transparency.ProofCheck.Consistency(JsonFile.Read<Transparency.ConsistencyProofFile>(s.File, "file"), key));
        }

        var checkpoint = s.Checkpoint is null ? null : ReadText(s.Checkpoint, "checkpoint");
        var kept = s.Digest is null ? null : Digest.Read(s.Digest);
        return Show(Transparency.ProofCheck.Inclusion(JsonFile.Read<InclusionProof>(s.File, "file"), key, checkpoint, kept));
    }

    public static int Show(Transparency.ProofCheck.Outcome outcome)
    {
        switch (outcome.Status)
        {
            case Transparency.ProofCheck.ProofStatus.Proven:
                AnsiConsole.MarkupLine($"[green]Valid:[/] {Output.Escape(outcome.Summary)}");
                return ExitCodes.Ok;
            case Transparency.ProofCheck.ProofStatus.Unanchored:
                Output.Error.MarkupLine($"[yellow]Proves nothing about the log:[/] {Output.Escape(outcome.Summary)}");
                return ExitCodes.Refused;
            default:
                Output.Error.MarkupLine($"[red]Invalid:[/] {Output.Escape(outcome.Summary)}");
                return ExitCodes.Refused;
        }
    }

    private static string ReadText(string path, string field)
    {
        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new(field, $"a readable file; {path}: {e.Message}")]);
        }
    }
}

[Description("Step through a claim version by version: each event, who and why, and what it changed")]
internal sealed class ReplayCommand : LedgerCommand<ClaimIdSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ClaimIdSettings s, CancellationToken ct)
    {
        var steps = await ledger.Send(new Claims.ClaimReplay.Query(s.ClaimId), ct);
        if (s.Json)
        {
            Output.WriteJson(steps);
            return ExitCodes.Ok;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var (e, state) = (steps[i].Event, steps[i].State);
            var changes = i == 0
                ? Claims.ClaimFields.Of(state).Where(f => f.Value is { Length: > 0 }).Select(f => (f.Key, Before: (string?)null, After: f.Value))
                : Claims.ClaimDiff.Compare(s.ClaimId, steps, i, i + 1).Changes.Select(c => (Key: c.Field, c.Before, c.After));
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            if (e.Reason is not null)
            {
                grid.AddRow("[bold]why[/]", Output.Escape(e.Reason));
            }

            foreach (var (field, before, after) in changes)
            {
                grid.AddRow(Output.Escape(field), before is null
                    ? Output.Escape(after ?? "")
                    : $"[strikethrough grey]{Output.Escape(Rendering.ClaimView.Shorten(before, 80))}[/] → {Output.Escape(after ?? "(none)")}");
            }

            var header = $"v{e.Version} · {Output.Escape(e.Type)} · {e.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {Output.Escape(e.Actor)}{(e.Imported ? " · imported" : "")}";
            AnsiConsole.Write(new Panel(grid).Header(header).Fit());
        }

        return ExitCodes.Ok;
    }
}

internal sealed class DiffSettings : ClaimIdSettings
{
    [CommandOption("--from <V1>")] [Description("The earlier version")] public long From { get; init; } = 1;
    [CommandOption("--to <V2>")] [Description("The later version (default: the current one)")] public long? To { get; init; }
}

[Description("Field-level changes of a claim between two versions, with the events that caused them")]
internal sealed class DiffCommand : LedgerCommand<DiffSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, DiffSettings s, CancellationToken ct)
    {
        var to = s.To ?? (await ledger.Send(new Claims.GetClaim.Query(s.ClaimId), ct)).Version;
        var diff = await ledger.Send(new Claims.ClaimDiff.Query(s.ClaimId, s.From, to), ct);
        return Output.Show(diff, s.Json, d =>
        {
            var table = new Table().Border(TableBorder.Rounded).Fit()
                .Title($"{Output.Escape(d.ClaimId)}: version {d.From} → {d.To}")
                .AddColumns("Field", "Before", "After", "Changed by");
            foreach (var c in d.Changes)
            {
                table.AddRow(Output.Escape(c.Field), Output.Escape(c.Before ?? "—"), Output.Escape(c.After ?? "—"),
                    Output.Escape(string.Join("\n", c.CausedBy.Select(x => $"v{x.Version} {x.Event} by {x.Actor} ({x.At:yyyy-MM-dd})"))));
            }

            return table;
        });
    }
}

internal sealed class ReportSettings : OutputFileSettings
{
    [CommandArgument(0, "[CLAIM-ID]")] [Description("The claim to report on (or use --all)")] public string? ClaimId { get; init; }
    [CommandOption("--all")] [Description("Report on every claim")] public bool All { get; init; }
    [CommandOption("--format <FORMAT>")] [Description("md (default), html or json")] public string Format { get; init; } = "md";
}

[Description("Write a self-contained audit report of one claim, or of all: timeline, actors, reasons, evidence, verdicts, verification")]
internal sealed class ReportCommand : LedgerCommand<ReportSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ReportSettings s, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (s.All == (s.ClaimId is not null))
        {
            errors.Add(new("claimId", "either a claim id or --all, not both"));
        }

        if (s.Format is not ("md" or "html" or "json"))
        {
            errors.Add(new("format", $"md, html or json; got '{s.Format}'"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var report = await ledger.Send(new AuditReport.Query(s.ClaimId), ct);
        if (s.Format == "json")
        {
            JsonFile.Write(report, s.Out);
            return ExitCodes.Ok;
        }

        var text = s.Format == "html" ? AuditReportWriter.Html(report) : AuditReportWriter.Markdown(report);
        if (s.Out is null)
        {
            Console.Out.Write(text);
        }
        else
        {
            await File.WriteAllTextAsync(s.Out, text, ct);
            Output.Error.MarkupLine($"Wrote {Output.Escape(s.Out)} ({report.Claims.Count} claim(s))");
        }

        return ExitCodes.Ok;
    }
}
