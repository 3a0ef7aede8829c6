using ClaimLedger.Claims;
using ClaimLedger.Documents;
using ClaimLedger.Cli.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ClaimLedger.Cli.Rendering;

/// <summary>How claims look to a person: verdict badges, tables and a detail panel.</summary>
internal static class ClaimView
{
    public static string Badge(Verdict? verdict) => verdict is null
        ? "[grey]no verdict[/]"
        : $"[{Colour(verdict.Rating)}]{Output.Escape(Ratings.Label(verdict.Rating))}[/]";

    /// <summary>"verdict Mostly false", or "no verdict yet": never "verdict no verdict".</summary>
    public static string VerdictPhrase(Verdict? verdict) => verdict is null ? "[grey]no verdict yet[/]" : $"verdict {Badge(verdict)}";

    private static string Colour(Rating rating) => rating switch
    {
        Rating.True => "green",
        Rating.MostlyTrue => "chartreuse3",
        Rating.HalfTrue => "yellow",
        Rating.MostlyFalse => "darkorange",
        Rating.False => "red",
        _ => "grey",
    };

    public static string Status(Claim claim) => claim.Status switch
    {
        ClaimStatus.Retracted => "[strikethrough grey]Retracted[/]",
        ClaimStatus.Disputed => "[darkorange]Disputed[/]",
        var other => other.ToString(),
    };

    public static Table List(IEnumerable<Claim> claims)
    {
        var table = new Table().Border(TableBorder.Rounded).Fit();
        table.AddColumn(new TableColumn("Id").NoWrap());
        table.AddColumn("Kind");
        table.AddColumn("Claimed");
        table.AddColumn("Publishers");
        table.AddColumn("Status");
        table.AddColumn("Verdict");
        table.AddColumn(new TableColumn("v").RightAligned().NoWrap());
        foreach (var claim in claims)
        {
            table.AddRow(
                Output.Escape(claim.Id), claim.Kind.ToString(),
                Output.Escape(Shorten(ValueOrStatement(claim), 60)) + (claim.DiffersFromClaimed ? " [darkorange](finding differs)[/]" : ""),
                Output.Escape(string.Join(", ", claim.Publishers)), Status(claim), Badge(claim.Verdict), claim.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return table;
    }

    public static IRenderable Detail(Claim claim, string? title = null)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string markup) => grid.AddRow($"[bold]{name}[/]", markup);
        Row("Claimed", Output.Escape(claim.Statement));
        Row("Kind", claim.Kind.ToString());
        foreach (var (field, value) in claim.Value.Fields().Where(f => f.Value is not null))
        {
            Row($"  {field}", Output.Escape(value));
        }

        Row("Established", claim.Established.Count == 0 ? "[grey]no findings yet[/]" : "");
        foreach (var finding in claim.Established)
        {
            Row($"  {finding.Field}", Finding(finding));
        }

        if (claim.Attribution is { } attribution)
        {
            Row("Attribution", $"[bold]{Output.Escape(Attributions.Label(attribution.Result))}[/] — {Output.Escape(attribution.Note)}");
            foreach (var tried in attribution.SourcesTried)
            {
                Row("  tried", Output.Escape(tried));
            }
        }

        Row("Verdict", Badge(claim.Verdict) + (claim.Verdict is null ? "" : $" on the claim as published, by {Output.Escape(claim.Verdict.Actor)}, {claim.Verdict.At:yyyy-MM-dd HH:mm}"));
        if (claim.Verdict is not null)
        {
            Row("Rationale", Output.Escape(claim.Verdict.Rationale));
            foreach (var evidence in claim.Verdict.Evidence)
            {
                Row("  evidence", Source(evidence));
            }

            foreach (var tried in claim.Verdict.SourcesTried ?? [])
            {
                Row("  tried", Output.Escape(tried));
            }
        }

        Row("Status", Status(claim) + (claim.RetractionReason is null ? "" : $" — {Output.Escape(claim.RetractionReason)}"));

        if (claim.EarlierVerdicts.Count > 0)
        {
            Row("Earlier", string.Join(" → ", claim.EarlierVerdicts.Select(v => $"{Badge(v)} ({v.At:yyyy-MM-dd})")));
        }

        Row("Appears in", Source(claim.Appearance));
        foreach (var source in claim.Sources)
        {
            Row(source.Corroborates ? "Corroborated" : source.Stance.ToString(), Source(source.Source));
        }

        if (claim.AmendmentCount > 0)
        {
            Row("Record amended", $"{claim.AmendmentCount} time(s) where it misread the article (see history)");
        }

        Row("Recorded", $"{claim.RecordedAt:yyyy-MM-dd HH:mm} by {Output.Escape(claim.RecordedBy)}");
        Row("Version", $"{claim.Version} (last change {claim.LastChangedAt:yyyy-MM-dd HH:mm})");
        return new Panel(grid).Header(Output.Escape(title ?? claim.Id)).Border(BoxBorder.Rounded).Fit();
    }

    public static Table History(IEnumerable<ClaimHistory.Entry> entries)
    {
        var table = new Table().Border(TableBorder.Rounded).Fit();
        table.AddColumn(new TableColumn("v").RightAligned());
        table.AddColumn("Time (UTC)");
        table.AddColumn("Event");
        table.AddColumn("Actor");
        table.AddColumn("Reason / rationale");
        foreach (var e in entries)
        {
            table.AddRow(
                e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{e.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm}" + (e.Imported ? " [grey](imported)[/]" : ""),
                Output.Escape(e.Type) + Summary(e),
                Output.Escape(e.Actor),
                Output.Escape(Shorten(e.Reason ?? "", 90)));
        }

        return table;
    }

    private static string Summary(ClaimHistory.Entry e)
    {
        string? Property(string name) => e.Payload.TryGetProperty(name, out var p) ? p.ToString() : null;
        return e.Type switch
        {
            nameof(VerdictIssued) => $": [bold]{Output.Escape(Property("rating"))}[/]",
            nameof(ClaimRecordAmended) => $": record of {Output.Escape(Property("field"))} '{Output.Escape(Shorten(Property("oldValue") ?? "", 30))}' → '{Output.Escape(Shorten(Property("newValue") ?? "", 30))}'",
            nameof(FindingRecorded) => $": {Output.Escape(Property("field"))} claimed '{Output.Escape(Shorten(Property("claimed") ?? "", 45))}', established '{Output.Escape(Shorten(Property("established") ?? "", 45))}'",
            nameof(AttributionChecked) => $": [bold]{Output.Escape(Property("result"))}[/]",
            nameof(MatchDecided) => $": {Output.Escape(Property("decision"))} {Output.Escape(Property("matchedKind"))?.ToLowerInvariant()} [bold]{Output.Escape(Property("matchedId"))}[/]",
            _ => "",
        };
    }

    /// <summary>The documents a claim cites, as a reader follows them: publisher, title, dates and address, one a line.</summary>
    public static IRenderable Sources(IEnumerable<DocumentReferences.Reference> documents)
    {
        var lines = new List<IRenderable> { new Markup("[bold]Sources cited[/]") };
        foreach (var d in documents)
        {
            var publisher = d.AttributedTo is null ? d.Publisher : $"{d.Publisher} (attributed to {d.AttributedTo})";
            var published = d.PublishedOn is { } on ? $", {on:yyyy-MM-dd}" : "";
            var retrieved = d.RetrievedOn is { } at ? $" (retrieved {at:yyyy-MM-dd})" : "";
            var archive = d.ArchiveUrl is null ? "" : $"; archived at {d.ArchiveUrl}";
            lines.Add(new Markup(
                $"  [bold]{Output.Escape(d.Id)}[/]: {Output.Escape(publisher)}, “{Output.Escape(d.Title)}”{published}. {Output.Escape(d.Url ?? "no address")}{retrieved}{Output.Escape(archive)}"));
        }

        return new Rows(lines);
    }

    private static string Finding(Finding finding) =>
        (finding.Differs ? $"[darkorange]{Output.Escape(finding.Established ?? "(none)")}[/] (differs from what was claimed)" : $"{Output.Escape(finding.Established ?? "(none)")} (as claimed)")
        + $" — {Output.Escape(Shorten(finding.Note, 120))}";

    private static string Source(ClaimSource s) =>
        $"{Output.Escape(s.Publisher)} · {Output.Escape(s.DocumentId)} [[{s.Start}, {s.End}) [italic]“{Output.Escape(Shorten(s.Excerpt, 100))}”[/]";

    private static string ValueOrStatement(Claim claim) =>
        claim.Value is StatementValue ? claim.Statement : claim.Value.Describe();

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
