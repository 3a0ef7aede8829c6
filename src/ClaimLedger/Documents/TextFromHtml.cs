using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Documents;

/// <summary>
/// Turns an HTML page into the plain text a document is registered with, parsed by a real HTML5 parser (AngleSharp),
/// so that what the checker cites is what a reader of the page sees: no scripts, styles or markup, one blank line
/// between blocks. The page's own title, publisher, date and canonical URL are offered as suggestions only.
/// </summary>
public static class TextFromHtml
{
    public const int MaxHtmlLength = RegisterDocument.MaxTextLength;

    public sealed record Query(string Html) : IRequest<Result>;

    public sealed record Result(string Text, string? Title, string? Publisher, string? PublishedOn, string? Url);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Html).NotEmpty().WithMessage("the page's HTML; it cannot be empty")
            .MaximumLength(MaxHtmlLength).WithMessage($"at most {MaxHtmlLength:N0} characters");
    }

    public sealed class Handler : IRequestHandler<Query, Result>
    {
        public Task<Result> Handle(Query query, CancellationToken cancellationToken) => Task.FromResult(Convert(query.Html));
    }

    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "iframe", "svg", "canvas", "nav", "button", "select", "form",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tr", "ul", "caption",
    };

    public static Result Convert(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var blocks = new List<string>();
        var current = new StringBuilder();
        Walk(document.Body ?? (INode)document.DocumentElement, blocks, current, preformatted: false);
        Flush(blocks, current);

        var text = string.Join("\n\n", blocks);
        string? Meta(params string[] names) => names
            .Select(n => document.QuerySelector($"meta[property='{n}'], meta[name='{n}']")?.GetAttribute("content")?.Trim())
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var published = Meta("article:published_time", "date", "pubdate", "dc.date");
        var url = document.QuerySelector("link[rel=canonical]")?.GetAttribute("href") ?? Meta("og:url");
        return new Result(
            text,
            Meta("og:title") ?? NullIfEmpty(document.Title?.Trim()),
            Meta("og:site_name", "publisher", "author"),
            published is { Length: >= 10 } && DateOnly.TryParseExact(published[..10], "yyyy-MM-dd", out _) ? published[..10] : null,
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null);
    }

    private static void Walk(INode node, List<string> blocks, StringBuilder current, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    Append(current, text.Data, preformatted);
                    break;
                case IElement element when Invisible.Contains(element.LocalName) || element.HasAttribute("hidden"):
                    break;
                case IElement { LocalName: "br" }:
                    TrimEnd(current);
                    current.Append('\n');
                    break;
                case IElement { LocalName: "td" or "th" } cell:
                    Walk(cell, blocks, current, preformatted);
                    if (current.Length > 0 && current[^1] != ' ')
                    {
                        current.Append(' ');
                    }

                    break;
                case IElement element when Blocks.Contains(element.LocalName):
                    Flush(blocks, current);
                    Walk(element, blocks, current, preformatted || element.LocalName == "pre");
                    Flush(blocks, current);
                    break;
                case IElement element:
                    Walk(element, blocks, current, preformatted);
                    break;
            }
        }
    }

    /// <summary>Collapses white space the way a browser shows normal text, except inside pre.</summary>
    private static void Append(StringBuilder current, string data, bool preformatted)
    {
        if (preformatted)
        {
            current.Append(data.Replace("\r\n", "\n", StringComparison.Ordinal));
            return;
        }

        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c) && c != '\u00A0')
            {
                if (current.Length > 0 && current[^1] is not ' ' and not '\n')
                {
                    current.Append(' ');
                }
            }
            else
            {
                current.Append(c == '\u00A0' ? ' ' : c);
            }
        }
    }

    private static void TrimEnd(StringBuilder current)
    {
        while (current.Length > 0 && current[^1] == ' ')
        {
            current.Length--;
        }
    }

    private static void Flush(List<string> blocks, StringBuilder current)
    {
        var block = string.Join('\n', current.ToString().Split('\n').Select(l => l.Trim())).Trim();
        if (block.Length > 0)
        {
            blocks.Add(block);
        }

        current.Clear();
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
