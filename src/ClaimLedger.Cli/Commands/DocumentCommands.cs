using System.ComponentModel;
using System.Globalization;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class AddDocumentSettings : WriteSettings
{
    [CommandArgument(0, "<FILE>")] [Description("UTF-8 text file holding the document's full text, or an .html/.htm page, registered as its visible text")] public string File { get; init; } = "";
    [CommandOption("--id <DOCUMENT-ID>")] [Description("A readable id; derived from publisher and title when omitted")] public string? Id { get; init; }
    [CommandOption("--publisher <NAME>")] [Description("Who published it (judges corroboration independence)")] public string Publisher { get; init; } = "";
    [CommandOption("--title <TITLE>")] [Description("The document's title")] public string Title { get; init; } = "";
    [CommandOption("--published-on <DATE>")] [Description("Publication date, yyyy-MM-dd")] public string? PublishedOn { get; init; }
    [CommandOption("--date-inferred <HOW>")] [Description("The text does not state its date: how --published-on was worked out (it is then never published as the document's date)")] public string? DateInferred { get; init; }
    [CommandOption("--url <URL>")] [Description("Where it was published, if anywhere")] public string? Url { get; init; }
    [CommandOption("--language <TAG>")] [Description("Language tag, default en")] public string Language { get; init; } = "en";
    [CommandOption("--kind <KIND>")] [Description("Article (default), Evidence, or Cited: a source cited by URL, whose file holds the facts it supports, one a line")] public DocumentKind Kind { get; init; } = DocumentKind.Article;
    [CommandOption("--retrieved-on <DATE>")] [Description("Cited: the date it was read at its URL, yyyy-MM-dd (required for Cited)")] public string? RetrievedOn { get; init; }
    [CommandOption("--archive-url <URL>")] [Description("An archived copy (Wayback Machine, archive.today)")] public string? ArchiveUrl { get; init; }
    [CommandOption("--attributed-to <PUBLISHER>")] [Description("The publisher a copy credits, when it is not that publisher's own")] public string? AttributedTo { get; init; }
}

[Description("Register a source document (its text never changes afterwards)")]
internal sealed class AddDocumentCommand : LedgerCommand<AddDocumentSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, AddDocumentSettings s, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var publishedOn = Date("publishedOn", s.PublishedOn, errors);
        var retrievedOn = Date("retrievedOn", s.RetrievedOn, errors);

        if (!System.IO.File.Exists(s.File))
        {
            errors.Add(new("file", $"a readable text file; '{s.File}' does not exist"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var text = await DocumentText.ReadAsync(s.File, ct);
        if (Path.GetExtension(s.File).ToLowerInvariant() is ".html" or ".htm")
        {
            // The same parser as the web app's upload, so a page registers as the same text whichever way it came in.
            text = (await ledger.Send(new TextFromHtml.Query(text), ct)).Text;
        }

        var result = await ledger.Send(new RegisterDocument.Command(
            s.Id, s.Publisher, s.Title, publishedOn, s.Url, s.Language, s.Kind, text, s.Context())
        {
            RetrievedOn = retrievedOn, ArchiveUrl = s.ArchiveUrl, AttributedTo = s.AttributedTo, DateInference = s.DateInferred,
        }, ct);
        if (s.Json)
        {
            Output.WriteJson(result);
        }
        else
        {
            AnsiConsole.MarkupLine(result.Created
                ? $"[green]Registered[/] [bold]{Output.Escape(result.DocumentId)}[/]: {result.Length:N0} characters, SHA-256 {result.Sha256}"
                : $"[grey]Already registered, unchanged:[/] [bold]{Output.Escape(result.DocumentId)}[/] (SHA-256 {result.Sha256})");
        }

        return ExitCodes.Ok;
    }

    private static DateOnly? Date(string field, string? text, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new(field, $"a date as yyyy-MM-dd; got '{text}'"));
        return null;
    }
}

[Description("List registered documents")]
internal sealed class ListDocumentsCommand : LedgerCommand<ReadSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ReadSettings s, CancellationToken ct)
    {
        var documents = await ledger.Send(new ListDocuments.Query(), ct);
        if (s.Json)
        {
            Output.WriteJson(documents);
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).Fit()
            .AddColumns("Id", "Publisher", "Title", "Published", "Kind", "Length", "SHA-256");
        foreach (var d in documents)
        {
            table.AddRow(Output.Escape(d.Id), Output.Escape(d.Publisher), Output.Escape(d.Title), d.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                d.Kind.ToString(), d.Length.ToString("N0", CultureInfo.InvariantCulture), d.Sha256[..12] + "…");
        }

        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }
}

internal sealed class ShowDocumentSettings : ReadSettings
{
    [CommandArgument(0, "<DOCUMENT-ID>")] [Description("The document's id")] public string DocumentId { get; init; } = "";
    [CommandOption("--text")] [Description("Print the full text too")] public bool Text { get; init; }
}

[Description("Show a registered document")]
internal sealed class ShowDocumentCommand : LedgerCommand<ShowDocumentSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ShowDocumentSettings s, CancellationToken ct)
    {
        var d = await ledger.Send(new GetDocument.Query(s.DocumentId), ct);
        if (s.Json)
        {
            Output.WriteJson(s.Text ? d : d with { Text = "" });
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Publisher[/]", Output.Escape(d.Publisher));
        grid.AddRow("[bold]Title[/]", Output.Escape(d.Title));
        grid.AddRow("[bold]Published[/]", d.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown");
        grid.AddRow("[bold]Kind[/]", d.Kind.ToString());
        grid.AddRow("[bold]URL[/]", Output.Escape(d.Url ?? "—"));
        grid.AddRow("[bold]Length[/]", $"{d.Text.Length:N0} characters");
        grid.AddRow("[bold]SHA-256[/]", d.Sha256);
        grid.AddRow("[bold]Registered[/]", $"{d.RegisteredAt:yyyy-MM-dd HH:mm} by {Output.Escape(d.RegisteredBy)}");
        AnsiConsole.Write(new Panel(grid).Header(Output.Escape(d.Id)).Fit());
        if (s.Text)
        {
            Console.Out.WriteLine(d.Text);
        }

        return ExitCodes.Ok;
    }
}
