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
/// real server on a loopback port and the real database.
/// </summary>
[Trait("Category", "Slow")]
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly LedgerFixture _ledger = new();
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _url = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"Browser tests need Chromium at {Chromium}: apt-get install -y chromium (.ci/run does this).");
        await _ledger.InitializeAsync();
        _app = ApiHost.Build(_ledger.Options, new ApiOptions(), builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await _app.StartAsync();
        _url = _app.Urls.First();
        _key = (await _ledger.SendAsync(new CreateApiKey.Command("Mei Lin", Role.Checker, "tests"))).Key;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _ledger.DisposeAsync();
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(_url);
        await page.FillAsync("#api-key", _key);
        await page.ClickAsync("#key-form button");
        await page.Locator("#claims").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task a_checker_searches_opens_replays_and_rates_a_claim()
    {
        var marker = $"zebra{Guid.NewGuid():N}"[..12];
        var id = await _ledger.RecordTradeClaimAsync();
        await _ledger.SendAsync(new CorrectClaim.Command(id, "statement", $"Trade hit 1.28 trillion yuan in 2022 {marker}", "wording", [DeskNote()], null, MeiLin));
        var page = await SignedInPageAsync();

        await page.FillAsync("#search", marker);
        await page.PressAsync("#search", "Enter");
        await page.Locator($"#claims a:text-is('{id}')").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(id);
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");

        await page.Locator("#replay").FillAsync("1");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("As of version 1");
        await Assertions.Expect(page.Locator("#statement")).ToHaveTextAsync("China-Russia trade hit 1.28 trillion yuan in 2022");
        await Assertions.Expect(page.Locator("#sources mark").First).ToHaveTextAsync("trade hit 1.28 trillion yuan in 2022");

        var evidence = DeskNote();
        await page.SelectOptionAsync("#verdict-form select[name=rating]", "MostlyTrue");
        await page.FillAsync("#verdict-form textarea[name=rationale]", "Customs data gives 1.28 trillion yuan.");
        await page.FillAsync("#verdict-form input[name=document]", evidence.DocumentId);
        await page.FillAsync("#verdict-form input[name=start]", evidence.Start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#verdict-form input[name=end]", evidence.End.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#verdict-form textarea[name=excerpt]", evidence.Excerpt);
        await page.ClickAsync("#verdict-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 3)");
        await Assertions.Expect(page.Locator("#verdict .badge")).ToHaveTextAsync("Mostly true");
        var stored = await _ledger.SendAsync(new GetClaim.Query(id));
        Assert.Equal((Rating.MostlyTrue, "Mei Lin"), (stored.Verdict!.Rating, stored.Verdict.Actor));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "claimledger-claim-page.png"), FullPage = true });
    }

    [Fact]
    public async Task when_someone_else_changed_the_claim_first_the_page_says_so_and_shows_the_fresh_state()
    {
        var id = await _ledger.RecordTradeClaimAsync();
        var page = await SignedInPageAsync();
        await page.GotoAsync($"{_url}/#/claims/{id}");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 1)");

        await _ledger.SendAsync(new DisputeClaim.Command(id, "another checker got there first", [], null, new("Jonas Weber")));
        await page.FillAsync("#dispute-form textarea[name=reason]", "my dispute, decided on version 1");
        await page.ClickAsync("#dispute-form button[type=submit]");

        await Assertions.Expect(page.Locator("#conflict")).ToContainTextAsync("Someone else changed this claim first: it is now at version 2");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("another checker got there first");
        var history = await _ledger.SendAsync(new ClaimHistory.Query(id));
        Assert.DoesNotContain(history, e => e.Reason == "my dispute, decided on version 1");
    }

    [Fact]
    public async Task user_text_is_shown_escaped_and_never_run()
    {
        var id = await _ledger.RecordTradeClaimAsync();
        await _ledger.SendAsync(new DisputeClaim.Command(id, "<img src=x onerror=\"document.title='pwned'\">", [], null, MeiLin));
        var page = await SignedInPageAsync();

        await page.GotoAsync($"{_url}/#/claims/{id}");

        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("<img src=x onerror=");
        Assert.NotEqual("pwned", await page.TitleAsync());
        Assert.Equal(0, await page.Locator("#timeline img").CountAsync());
    }
}
