using System.Globalization;
using System.Net;
using System.Text;
using ClaimLedger.Claims;

namespace ClaimLedger.Ledger;

/// <summary>Writes an audit report as Markdown or as one self-contained HTML page (inline style, no scripts, all text escaped).</summary>
public static class AuditReportWriter
{
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Verdict(Verdict v) => $"{Ratings.Label(v.Rating)} — {v.Actor}, {Time(v.At)}";

    /// <summary>What the evidence established for each examined field beside what was claimed, a line each.</summary>
    private static IEnumerable<string> Established(Claim claim) => claim.Established.Select(f =>
        $"{f.Field}: claimed “{f.Claimed ?? "(none)"}”, established “{f.Established ?? "(none)"}”{(f.Differs ? " (differs)" : " (as claimed)")} — {f.Note}");

    private static string? AttributionLine(Claim claim) => claim.Attribution is not { } a
        ? null
        : $"{Attributions.Label(a.Result)} — {a.Note}{(a.SourcesTried.Count == 0 ? "" : $" (tried: {string.Join("; ", a.SourcesTried)})")}";

    private static string Result(AuditReport.ClaimSection c) => c.Intact
        ? $"Intact: every event matches its ledger entry, the chain is unbroken, and version {c.Proof!.Version} is entry {c.Proof.LeafIndex + 1} of the {c.Proof.TreeSize}-entry tree with root {c.Proof.RootHash}."
        : $"NOT INTACT: {string.Join("; ", c.Breaks.Select(b => $"{b.Kind} at version {b.Version?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {b.Detail}"))}{(c.ProofHolds ? "" : "; the inclusion proof does not hold")}";

    public static string Markdown(AuditReport.Report report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# ClaimLedger audit report");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Generated {Time(report.GeneratedAt)}. Ledger digest: {report.Digest.TreeSize} entries, root `{report.Digest.RootHash}`. Whole ledger: {(report.LedgerIntact ? "intact" : $"{report.LedgerBreaks} break(s) found")}.");
        foreach (var c in report.Claims)
        {
            var claim = c.Claim;
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {Md(claim.Id)}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"> {Md(claim.Statement)}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"- Kind: {claim.Kind}{(claim.Value is StatementValue ? "" : $" — claimed: {Md(claim.Value.Describe())}")}");
            foreach (var line in Established(claim))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- Established: {Md(line)}");
            }

            if (AttributionLine(claim) is { } attribution)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- Attribution: {Md(attribution)}");
            }
            md.AppendLine(CultureInfo.InvariantCulture, $"- Status: {claim.Status}{(claim.RetractionReason is null ? "" : $" ({Md(claim.RetractionReason)})")}, version {claim.Version}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- Current verdict: {(claim.Verdict is null ? "none" : Md(Verdict(claim.Verdict)))}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- Actors: {Md(string.Join(", ", c.Actors))}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- Verification: {Md(Result(c))}");
            md.AppendLine();
            md.AppendLine("### Timeline");
            md.AppendLine();
            md.AppendLine("| v | time | event | actor | reason |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var e in c.Timeline)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {e.Version} | {Time(e.Timestamp)}{(e.Imported ? " (imported)" : "")} | {e.Type} | {Md(e.Actor)} | {Md(e.Reason)} |");
            }

            md.AppendLine();
            md.AppendLine("### Verdict history");
            md.AppendLine();
            foreach (var v in c.Verdicts)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{Md(Verdict(v))}**: {Md(v.Rationale)}");
            }

            if (c.Verdicts.Count == 0)
            {
                md.AppendLine("- no verdict yet");
            }

            md.AppendLine();
            md.AppendLine("### Evidence");
            md.AppendLine();
            foreach (var s in c.Evidence)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {Md(s.Publisher)}, {Md(s.DocumentId)} \\[{s.Start}, {s.End}): “{Md(s.Excerpt)}”");
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// Text from the ledger as literal Markdown: every character a renderer would read as markup (links, HTML,
    /// emphasis, table cells) is escaped and line breaks are folded, so a reason cannot inject a script or a link.
    /// </summary>
    public static string Md(string? text)
    {
        var md = new StringBuilder();
        foreach (var ch in (text ?? "").ReplaceLineEndings(" "))
        {
            _ = ch switch
            {
                '<' => md.Append("&lt;"),
                '>' => md.Append("&gt;"),
                '&' => md.Append("&amp;"),
                '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '|' or '!' or '{' or '}' or '~' => md.Append('\\').Append(ch),
                _ => md.Append(ch),
            };
        }

        return md.ToString();
    }

    public static string Html(AuditReport.Report report)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.AppendLine("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ClaimLedger audit report</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            h1{font-size:1.6rem}h2{margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem;font-size:1.25rem}
            table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f3f3f3}.ok{color:#17602a}.bad{color:#a1161b;font-weight:bold}blockquote{border-left:4px solid #bbb;margin:0;padding-left:1rem}
            code{font-size:.85em;word-break:break-all}.excerpt{font-style:italic}
            </style></head><body>
            """);
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>ClaimLedger audit report</h1><p>Generated {E(Time(report.GeneratedAt))}. Ledger digest: {report.Digest.TreeSize} entries, root <code>{E(report.Digest.RootHash)}</code>. Whole ledger: <span class=\"{(report.LedgerIntact ? "ok" : "bad")}\">{(report.LedgerIntact ? "intact" : $"{report.LedgerBreaks} break(s) found")}</span>.</p>");
        foreach (var c in report.Claims)
        {
            var claim = c.Claim;
            html.AppendLine(CultureInfo.InvariantCulture, $"<section><h2 id=\"{E(claim.Id)}\">{E(claim.Id)}</h2><blockquote>{E(claim.Statement)}</blockquote><ul>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>Kind: {E(claim.Kind.ToString())}{(claim.Value is StatementValue ? "" : $" — claimed: {E(claim.Value.Describe())}")}</li>");
            foreach (var line in Established(claim))
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<li>Established: {E(line)}</li>");
            }

            if (AttributionLine(claim) is { } attribution)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<li>Attribution: {E(attribution)}</li>");
            }
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>Status: {E(claim.Status.ToString())}{(claim.RetractionReason is null ? "" : $" ({E(claim.RetractionReason)})")}, version {claim.Version}</li>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>Current verdict: {(claim.Verdict is null ? "none" : E(Verdict(claim.Verdict)))}</li>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>Actors: {E(string.Join(", ", c.Actors))}</li>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<li>Verification: <span class=\"{(c.Intact ? "ok" : "bad")}\">{E(Result(c))}</span></li></ul>");
            html.AppendLine("<h3>Timeline</h3><table><tr><th>v</th><th>time</th><th>event</th><th>actor</th><th>reason</th></tr>");
            foreach (var e in c.Timeline)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{e.Version}</td><td>{E(Time(e.Timestamp))}{(e.Imported ? " (imported)" : "")}</td><td>{E(e.Type)}</td><td>{E(e.Actor)}</td><td>{E(e.Reason)}</td></tr>");
            }

            html.AppendLine("</table><h3>Verdict history</h3><ul>");
            foreach (var v in c.Verdicts)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<li><strong>{E(Verdict(v))}</strong>: {E(v.Rationale)}</li>");
            }

            html.AppendLine(c.Verdicts.Count == 0 ? "<li>no verdict yet</li></ul>" : "</ul>");
            html.AppendLine("<h3>Evidence</h3><ul>");
            foreach (var s in c.Evidence)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<li>{E(s.Publisher)}, <code>{E(s.DocumentId)}</code> [{s.Start}, {s.End}): <span class=\"excerpt\">“{E(s.Excerpt)}”</span></li>");
            }

            html.AppendLine("</ul></section>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }
}
