using ClaimLedger.Documents;

namespace ClaimLedger.Tests;

public class TextFromHtmlTests
{
    [Fact]
    public void a_page_becomes_its_visible_text_one_blank_line_between_blocks()
    {
        const string html = """
            <!doctype html><html><head><title>Ties at best level</title><style>p { color: red }</style>
            <meta property="og:site_name" content="CNN"><meta property="article:published_time" content="2018-04-06T10:00:00Z">
            <link rel="canonical" href="https://edition.cnn.com/2018/04/06/asia/china-russia/index.html"></head>
            <body><nav>Home | World</nav><script>var x = "<p>not text</p>";</script>
            <h1>China says   relations
              are at their best</h1>
            <p>Trade hit <b>1.28&nbsp;trillion</b> yuan &amp; more.<br>Second line.</p>
            <div hidden>secret</div><ul><li>One</li><li>Two</li></ul>
            </body></html>
            """;

        var result = TextFromHtml.Convert(html);

        Assert.Equal("China says relations are at their best\n\nTrade hit 1.28 trillion yuan & more.\nSecond line.\n\nOne\n\nTwo", result.Text);
        Assert.Equal(("Ties at best level", "CNN", "2018-04-06", "https://edition.cnn.com/2018/04/06/asia/china-russia/index.html"),
            (result.Title, result.Publisher, result.PublishedOn, result.Url));
    }

    [Fact]
    public void markup_that_a_regular_expression_would_misread_is_parsed_as_a_browser_would()
    {
        var result = TextFromHtml.Convert("<p title='a > b'>Kept <!-- <p>comment</p> --> text</p><p>Unclosed <i>italic<p>Next");

        Assert.Equal("Kept text\n\nUnclosed italic\n\nNext", result.Text);
        Assert.Null(result.Url);
    }

    [Fact]
    public void a_page_address_that_is_not_http_is_not_suggested()
    {
        Assert.Null(TextFromHtml.Convert("<link rel=canonical href='javascript:alert(1)'><p>x</p>").Url);
    }
}
