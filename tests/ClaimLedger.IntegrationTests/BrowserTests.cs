using System.Text.Json;
using ClaimLedger.Access;
using ClaimLedger.Api;
using ClaimLedger.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The web app in headless Chromium (Debian's package, driven by Playwright with its executable path), against the
/// real server on a loopback port and the real database: a checker's work done by selecting text, never by typing offsets.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class BrowserTests(BrowserTests.Server server) : IClassFixture<BrowserTests.Server>
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly LedgerFixture _ledger = server.Ledger;
    private readonly IBrowser? _browser = server.Browser;
    private readonly string _url = server.Url;
    private readonly string _key = server.Key;

    /// <summary>One ledger, server and browser for the whole class; each test opens its own browser context.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private WebApplication? _app;
        private IPlaywright? _playwright;

        public LedgerFixture Ledger { get; } = new();
        public IBrowser? Browser { get; private set; }
        public string Url { get; private set; } = "";
        public string Key { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Assert.True(File.Exists(Chromium), $"Browser tests need Chromium at {Chromium}: apt-get install -y chromium (.ci/run does this).");
            await Ledger.InitializeAsync();
            _app = ApiHost.Build(Ledger.Options, new ApiOptions(), builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
            await _app.StartAsync();
            Url = _app.Urls.First();
            Key = (await Ledger.SendAsync(new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"))).Key;
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }

        public async Task DisposeAsync()
        {
            if (Browser is not null)
            {
                await Browser.DisposeAsync();
            }

            _playwright?.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            await Ledger.DisposeAsync();
        }
    }

    private async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900, bool bypassCsp = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = bypassCsp,
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_url);
        await page.FillAsync("#api-key", _key);
        await page.ClickAsync("#key-form button");
        await page.Locator("#claims").WaitForAsync();
        return page;
    }

    /// <summary>Drags the mouse from the first to the last character of the words in the page's article text, as a reader would.</summary>
    private static async Task DragOverAsync(IPage page, string boxSelector, string words)
    {
        var points = await page.EvaluateAsync<double[]>(
            """
            ([selector, words]) => {
              const box = document.querySelector(selector);
              const at = box.textContent.indexOf(words);
              if (at < 0) throw new Error('not in the text: ' + words);
              const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
              const rectOf = (offset) => {
                let seen = 0;
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                  if (offset < seen + n.data.length) {
                    const r = document.createRange(); r.setStart(n, offset - seen); r.setEnd(n, offset - seen + 1);
                    return r.getClientRects()[0];
                  }
                  seen += n.data.length;
                }
              };
              const first = rectOf(at); walker.currentNode = box;
              first.target?.scrollIntoView?.();
              const last = rectOf(at + words.length - 1);
              return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
            }
            """, new object[] { boxSelector, words });
        await page.Mouse.MoveAsync((float)points[0], (float)points[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)points[2], (float)points[3], new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task a_checker_registers_a_pasted_article_records_a_claim_by_selecting_it_and_rates_it_with_evidence_selected_elsewhere()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var title = $"Trade between China and Russia {marker}";
        var sentence = "Trade between the two countries reached 1.28 trillion yuan in 2022.";
        var text = $"Beijing (Wire) — Officials met on Monday.\n\n{sentence} Both sides called it a record.\n";
        var page = await SignedInPageAsync();

        await page.ClickAsync("#nav-register");
        await page.FillAsync("#doc-text", text);
        await page.FillAsync("input[name=publisher]", $"Wire {marker}");
        await page.FillAsync("input[name=title]", title);
        await page.FillAsync("input[name=publishedOn]", "2023-01-14");
        await page.ClickAsync("#register-form button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);

        await DragOverAsync(page, ".article", sentence);
        await page.ClickAsync("#record-from-selection");
        await Assertions.Expect(page.Locator("#record-form")).ToHaveAttributeAsync("data-suggested", "Quantity");
        await Assertions.Expect(page.Locator("#record-form input[data-field=amount]")).ToHaveValueAsync("1280000000000");
        await Assertions.Expect(page.Locator("#record-form input[data-field=unit]")).ToHaveValueAsync("yuan");
        await Assertions.Expect(page.Locator("#record-reading")).ToContainTextAsync("1,280,000,000,000");
        await page.FillAsync("#record-id", $"trade-{marker}");
        await page.ClickAsync("#record-form button[type=submit]");
        await Assertions.Expect(page.Locator("#claim-id")).ToHaveTextAsync($"trade-{marker}");

        await page.ClickAsync("#verdict-form-box summary");
        await page.SelectOptionAsync("#reader-document", "desk-note");
        await page.FillAsync("#reader-text .find-input", "China-Russia trade in 2022 was 1.28 trillion yuan");
        await page.PressAsync("#reader-text .find-input", "Enter");
        await page.ClickAsync(".selection-panel .add-evidence");
        await Assertions.Expect(page.Locator("#verdict-form .evidence-list")).ToContainTextAsync("China-Russia trade in 2022 was 1.28 trillion yuan");
        await page.SelectOptionAsync("#verdict-form select[name=rating]", "True");
        await page.FillAsync("#verdict-form textarea[name=rationale]", "Customs data for 2022 give the same figure.");
        await page.ClickAsync("#verdict-form button[type=submit]");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");

        var claim = await _ledger.SendAsync(new GetClaim.Query($"trade-{marker}"));
        var start = text.IndexOf(sentence, StringComparison.Ordinal);
        Assert.Equal((start, start + sentence.Length, sentence), (claim.Appearance.Start, claim.Appearance.End, claim.Appearance.Excerpt));
        Assert.Equal(new QuantityValue("1280000000000", "yuan", "2022"), claim.Value);
        Assert.Equal((Rating.True, "Mei Lin"), (claim.Verdict!.Rating, claim.Verdict.Actor));
        Assert.Equal([DeskNote()], claim.Verdict.Evidence.Select(e => new Documents.SourceRef(e.DocumentId, e.Start, e.End, e.Excerpt)));
        await Assertions.Expect(page.Locator("#summary-verdict .badge")).ToHaveTextAsync("True");
    }

    [Fact]
    public async Task an_uploaded_html_page_is_registered_as_the_text_the_server_read_from_it()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var html = $"""
            <html><head><title>Ties at their best {marker}</title><meta property="og:site_name" content="Wire {marker}">
            <meta property="article:published_time" content="2018-04-06T08:00:00Z"><script>document.title = "ran";</script></head>
            <body><h1>Ties at their best</h1><p>Trade hit <b>1.28 trillion</b> yuan.</p></body></html>
            """;
        var page = await SignedInPageAsync();
        await page.ClickAsync("#nav-register");

        await page.SetInputFilesAsync("#doc-file", new FilePayload { Name = "ties.html", MimeType = "text/html", Buffer = System.Text.Encoding.UTF8.GetBytes(html) });

        await Assertions.Expect(page.Locator("#doc-text")).ToHaveValueAsync("Ties at their best\n\nTrade hit 1.28 trillion yuan.");
        await Assertions.Expect(page.Locator("input[name=publisher]")).ToHaveValueAsync($"Wire {marker}");
        await Assertions.Expect(page.Locator("input[name=publishedOn]")).ToHaveValueAsync("2018-04-06");
        await page.ClickAsync("#register-form button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Ties at their best {marker}");
        var documentId = Uri.UnescapeDataString(new Uri(page.Url).Fragment.Split('/')[2]);
        var stored = await _ledger.SendAsync(new Documents.GetDocument.Query(documentId));
        Assert.Equal(("Ties at their best\n\nTrade hit 1.28 trillion yuan.", $"Wire {marker}"), (stored.Text, stored.Publisher));
    }

    [Fact]
    public async Task after_someone_else_changed_the_claim_the_form_keeps_what_was_typed_says_what_changed_and_resubmits_on_the_fresh_version()
    {
        var id = await _ledger.RecordTradeClaimAsync();
        var page = await SignedInPageAsync();
        await page.GotoAsync($"{_url}/#/claims/{id}");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 1)");
        await page.ClickAsync("#verdict-form-box summary");
        await page.SelectOptionAsync("#verdict-form select[name=rating]", "MostlyTrue");
        await page.FillAsync("#verdict-form textarea[name=rationale]", "My rationale, typed with care.");
        await page.SelectOptionAsync("#reader-document", "desk-note");
        await page.FillAsync("#reader-text .find-input", "1.28 trillion yuan");
        await page.PressAsync("#reader-text .find-input", "Enter");
        await page.ClickAsync(".selection-panel .add-evidence");

        await _ledger.SendAsync(new DisputeClaim.Command(id, "another checker got there first", [], null, new("Jonas Weber")));
        await page.ClickAsync("#verdict-form button[type=submit]");

        await Assertions.Expect(page.Locator("#conflict")).ToContainTextAsync("Someone else changed this claim first: it is now at version 2");
        await Assertions.Expect(page.Locator("#verdict-form .form-conflict")).ToContainTextAsync("Version 2: Disputed the claim by Jonas Weber");
        await Assertions.Expect(page.Locator("#verdict-form .form-conflict")).ToContainTextAsync("another checker got there first");
        await Assertions.Expect(page.Locator("#verdict-form textarea[name=rationale]")).ToHaveValueAsync("My rationale, typed with care.");
        await Assertions.Expect(page.Locator("#verdict-form select[name=rating]")).ToHaveValueAsync("MostlyTrue");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("another checker got there first");
        Assert.DoesNotContain(await _ledger.SendAsync(new ClaimHistory.Query(id)), e => e.Type == nameof(VerdictIssued));

        await page.ClickAsync("#verdict-form button[type=submit]");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 3)");
        var stored = await _ledger.SendAsync(new GetClaim.Query(id));
        Assert.Equal((Rating.MostlyTrue, "My rationale, typed with care."), (stored.Verdict!.Rating, stored.Verdict.Rationale));
    }

    [Fact]
    public async Task retracting_asks_for_the_reason_first_and_cancelling_writes_nothing()
    {
        var id = await _ledger.RecordTradeClaimAsync();
        var page = await SignedInPageAsync();
        await page.GotoAsync($"{_url}/#/claims/{id}");
        await page.ClickAsync("#retract-form-box summary");

        await page.ClickAsync("#retract-form button[type=submit]");
        await Assertions.Expect(page.Locator("#retract-dialog")).ToBeVisibleAsync();
        await page.ClickAsync("#retract-dialog button.secondary");
        await Assertions.Expect(page.Locator("#retract-dialog")).ToHaveCountAsync(0);
        Assert.Equal(ClaimStatus.Recorded, (await _ledger.SendAsync(new GetClaim.Query(id))).Status);

        await page.ClickAsync("#retract-form button[type=submit]");
        await page.FillAsync("#retract-dialog textarea", "recorded twice");
        await page.ClickAsync("#confirm-retract");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Retracted — recorded twice");
        Assert.Equal("recorded twice", (await _ledger.SendAsync(new GetClaim.Query(id))).RetractionReason);
    }

    [Fact]
    public async Task a_reader_finds_a_claim_replays_it_with_the_keyboard_and_reads_its_history_in_plain_words()
    {
        var marker = $"zebra{Guid.NewGuid():N}"[..12];
        var id = await _ledger.RecordTradeClaimAsync();
        await _ledger.SendAsync(new AmendRecord.Command(id, "statement", $"Trade hit 1.28 trillion yuan in 2022 {marker}", "wording", Cnn("trade hit 1.28 trillion yuan in 2022"), null, MeiLin));
        var page = await SignedInPageAsync();

        await page.FillAsync("#search", marker);
        await page.PressAsync("#search", "Enter");
        await page.Locator($"#claims a:has-text('{marker}')").ClickAsync();
        await Assertions.Expect(page.Locator("#claim-id")).ToHaveTextAsync(id);
        await Assertions.Expect(page.Locator("#summary blockquote")).ToHaveTextAsync("trade hit 1.28 trillion yuan in 2022");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");

        await page.FocusAsync("#replay");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("As of version 1");
        await Assertions.Expect(page.Locator("#statement")).ToHaveTextAsync("China-Russia trade hit 1.28 trillion yuan in 2022");
        await Assertions.Expect(page.Locator("#replay-version")).ToHaveTextAsync("version 1 of 2");
        await Assertions.Expect(page.Locator("#sources mark").First).ToHaveTextAsync("trade hit 1.28 trillion yuan in 2022");

        var timeline = page.Locator("#timeline");
        await Assertions.Expect(timeline).ToContainTextAsync($"Version 2: Amended the record: the statement now reads as printed, “Trade hit 1.28 trillion yuan in 2022 {marker}” by Mei Lin");
        await Assertions.Expect(timeline).ToContainTextAsync("as printed in CNN: “trade hit 1.28 trillion yuan in 2022”");
        await Assertions.Expect(timeline).Not.ToContainTextAsync("ClaimRecordAmended");
        var time = timeline.Locator("time").First;
        Assert.EndsWith("UTC", await time.GetAttributeAsync("title"));
        Assert.NotEqual(await time.GetAttributeAsync("title"), await time.TextContentAsync());
    }

    [Fact]
    public async Task a_claims_page_lists_the_desk_claim_that_says_the_same_as_possibly_checked_before()
    {
        // A statement no other browser test records (they share one ledger), so the twin is the one best match.
        async Task<string> RecordVisitAsync()
        {
            var recorded = await _ledger.SendAsync(new RecordClaim.Command($"visit-{Guid.NewGuid():N}"[..18], ClaimKind.Statement,
                "Wang Yi visited Moscow on Wednesday", new Dictionary<string, string?>(), LedgerFixture.Cnn("Wang Yi visited Moscow on Wednesday"), LedgerFixture.MeiLin));
            return recorded.ClaimId;
        }

        var twin = await RecordVisitAsync();
        var id = await RecordVisitAsync();
        var page = await SignedInPageAsync();

        await page.GotoAsync($"{_url}/#/claims/{id}");

        var matches = page.Locator("#possibly-checked li.match");
        // The first match of a process loads the embedding model, which takes seconds on a busy machine.
        await Assertions.Expect(matches.First).ToContainTextAsync(twin, new() { Timeout = 60_000 });
        Assert.DoesNotContain(id, await page.Locator("#possibly-checked ol").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task while_a_checker_records_a_claim_the_form_shows_the_desk_claim_that_already_says_it()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var sentence = $"The Kestrel{marker} ferry carried 4,100 passengers across the strait in March.";
        var text = $"Harbour news. {sentence} More next week.";
        await _ledger.RegisterAsync($"ferry-{marker}", "Harbour Gazette", text);
        var earlier = (await _ledger.SendAsync(new RecordClaim.Command($"ferry-{marker}", ClaimKind.Statement, sentence,
            new Dictionary<string, string?>(), LedgerFixture.Span($"ferry-{marker}", text, sentence), LedgerFixture.MeiLin))).ClaimId;
        var page = await SignedInPageAsync();

        await page.GotoAsync($"{_url}/#/documents/ferry-{marker}");
        await Assertions.Expect(page.Locator(".article")).ToContainTextAsync(sentence);
        await DragOverAsync(page, ".article", sentence);
        await page.ClickAsync("#record-from-selection");

        await Assertions.Expect(page.Locator("#record-earlier li.match").First).ToContainTextAsync(earlier, new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task user_text_is_shown_escaped_and_never_run()
    {
        var id = await _ledger.RecordTradeClaimAsync();
        await _ledger.SendAsync(new DisputeClaim.Command(id, "<img src=x onerror=\"document.title='pwned'\">", [], null, MeiLin));
        var page = await SignedInPageAsync();

        await page.GotoAsync($"{_url}/#/claims/{id}");

        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("<img src=x onerror=");
        Assert.DoesNotContain("pwned", await page.TitleAsync());
        Assert.Equal(0, await page.Locator("#timeline img").CountAsync());
    }

    public static TheoryData<string> Pages => new() { "list", "claim", "findings", "article", "reference", "documents", "register", "cited" };

    private async Task<IPage> OpenAsync(string which, int width)
    {
        var id = await _ledger.RecordTradeClaimAsync();
        await _ledger.SendAsync(new IssueVerdict.Command(id, Rating.HalfTrue, "Customs data differ on the period.", [DeskNote()], null, MeiLin));
        var page = await SignedInPageAsync(width, 844, bypassCsp: true);
        switch (which)
        {
            case "claim":
                await page.GotoAsync($"{_url}/#/claims/{id}");
                await page.Locator("#sources .article").First.WaitForAsync();
                await page.ClickAsync("#verdict-form-box summary");
                await page.SelectOptionAsync("#reader-document", "gt-2018");
                await page.Locator("#reader-text .article").WaitForAsync();
                break;
            case "findings":
                await _ledger.SendAsync(new RecordFinding.Command(id, "amount", "1.3 trillion", "The customs release gives a higher total.", [DeskNote()], null, MeiLin));
                await _ledger.SendAsync(new RecordFinding.Command(id, "period", "2022", "The release covers the calendar year.", [DeskNote()], null, MeiLin));
                await page.GotoAsync($"{_url}/#/claims/{id}");
                await page.Locator("#established .finding.differs").WaitForAsync();
                await page.ClickAsync("#finding-form-box summary");
                await page.SelectOptionAsync("#finding-form select[name=field]", "amount");
                await page.FillAsync("#finding-form input[name=established]", "1.3 trillion");
                await page.FillAsync("#finding-form textarea[name=note]", "A note.");
                await page.ClickAsync("#finding-form button[type=submit]");
                await page.Locator("#finding-form .field-error").WaitForAsync();
                await page.ClickAsync("#cited-box summary");
                break;
            case "cited":
                await page.GotoAsync($"{_url}/#/documents/new?kind=cited");
                await page.Locator("#register-cited-form").WaitForAsync();
                break;
            case "article":
                await page.GotoAsync($"{_url}/#/documents/cnn-2023");
                await page.Locator("#citations").WaitForAsync();
                await page.FillAsync(".find-input", "Wang Yi visited Moscow on Wednesday.");
                await page.PressAsync(".find-input", "Enter");
                await Assertions.Expect(page.Locator("#record-from-selection")).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("Enter");
                await page.Locator("#record-form[data-suggested]").WaitForAsync();
                break;
            case "documents":
                await page.GotoAsync($"{_url}/#/documents");
                await page.Locator("#documents").WaitForAsync();
                break;
            case "register":
                await page.GotoAsync($"{_url}/#/documents/new");
                await page.Locator("#register-form").WaitForAsync();
                break;
            case "reference":
                await page.GotoAsync($"{_url}/reference.html");
                await page.Locator("details").First.WaitForAsync();
                break;
        }

        return page;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task on_a_390_pixel_phone_nothing_scrolls_sideways(string which)
    {
        var page = await OpenAsync(which, 390);

        var (scrollWidth, innerWidth) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("innerWidth"));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), $"claimledger-{which}-390.png"), FullPage = true });
        Assert.True(scrollWidth <= innerWidth, $"The {which} page is {scrollWidth} px wide in a {innerWidth} px window.");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task axe_finds_no_serious_or_critical_accessibility_violation(string which)
    {
        foreach (var width in new[] { 390, 1280 })
        {
            var page = await OpenAsync(which, width);
            var axe = Path.Combine(AppContext.BaseDirectory, "axe.min.js");
            Assert.True(File.Exists(axe), "axe-core was not fetched at build time: install npm (apt-get install -y npm; .ci/run does this) and build again.");
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });

            var result = await page.EvaluateAsync<JsonElement>(
                """
                async () => {
                  const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
                  return {
                    checked: r.passes.length,
                    contrastChecked: r.passes.some(p => p.id === 'color-contrast') || r.violations.some(v => v.id === 'color-contrast'),
                    violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`),
                  };
                }
                """);

            Assert.True(result.GetProperty("checked").GetInt32() > 10 && result.GetProperty("contrastChecked").GetBoolean(), $"axe checked too little on the {which} page: {result}");
            var violations = result.GetProperty("violations");
            Assert.True(violations.GetArrayLength() == 0, $"{which} at {width} px: {string.Join("\n", violations.EnumerateArray())}");
        }
    }
}
