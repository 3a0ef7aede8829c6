using ClaimLedger.Claims;
using ClaimLedger.Documents;
using Microsoft.Playwright;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// The fact-check model's forms in the browser, each driven the whole way against the real API: amending the record,
/// findings, attribution checks, verdicts outside the scale, cited sources, and the claim page that shows Claimed,
/// Established and the verdict side by side.
/// </summary>
public sealed partial class BrowserTests
{
    /// <summary>Selects the words in a document box on the page with the keyboard alternative, and adds them to the open form.</summary>
    private static async Task AddEvidenceAsync(IPage page, string scope, string words)
    {
        var find = page.Locator($"{scope} .find-input").First;
        await find.FillAsync(words);
        await find.PressAsync("Enter");
        await page.ClickAsync(".selection-panel .add-evidence");
    }

    private async Task<string> RecordTradeClaimAsync(string marker, string amount = "1.28 trillion")
    {
        var recorded = await _ledger.SendAsync(new RecordClaim.Command($"trade-{marker}", ClaimKind.Quantity, $"China-Russia trade hit {amount} yuan in 2022 ({marker})",
            new Dictionary<string, string?> { ["amount"] = amount, ["unit"] = "yuan", ["period"] = "2022" }, Cnn("trade hit 1.28 trillion yuan in 2022"), MeiLin));
        return recorded.ClaimId;
    }

    private async Task OpenClaimAsync(IPage page, string id)
    {
        await page.GotoAsync($"{_url}/#/claims/{id}");
        await page.Locator("#summary #claimed").WaitForAsync();
    }

    [Fact]
    public async Task a_checker_registers_a_cited_source_beside_the_claim_and_records_a_differing_finding_that_the_claim_page_and_the_list_say_in_words()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var id = await RecordTradeClaimAsync(marker);
        var fact = "China-Russia trade in 2022 totalled 1.3 trillion yuan";
        var page = await SignedInPageAsync();
        await OpenClaimAsync(page, id);
        await Assertions.Expect(page.Locator("#established")).ToContainTextAsync("Nothing established yet");

        await page.ClickAsync("#finding-form-box summary");
        await page.ClickAsync("#cited-box summary");
        await page.FillAsync("#cited-form input[name=url]", $"https://customs.example.gov/trade-2022-{marker}");
        await page.FillAsync("#cited-form input[name=publisher]", $"Customs {marker}");
        await page.FillAsync("#cited-form input[name=title]", "Foreign trade in 2022");
        await page.FillAsync("#cited-form input[name=publishedOn]", "2023-01-13");
        await page.FillAsync("#cited-form input[name=retrievedOn]", "2026-11-28");
        await page.FillAsync("#cited-form input[name=archiveUrl]", $"https://web.archive.org/web/2026/https://customs.example.gov/trade-2022-{marker}");
        await page.FillAsync("#cited-form textarea[name=text]", $"{fact}\n\nExports to Russia rose in 2022\n");
        await page.FillAsync("#cited-form input[name=archiveUrl]", $"ftp://archive.example.org/{marker}");
        await page.ClickAsync("#cited-form button[type=submit]");
        var archiveError = page.Locator("#cited-form input[name=archiveUrl] ~ .field-error");
        await Assertions.Expect(archiveError).ToContainTextAsync("an absolute http or https URL of an archived copy");
        await Assertions.Expect(page.Locator("#cited-form input[name=archiveUrl]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#cited-form input[name=publisher]")).ToHaveValueAsync($"Customs {marker}");
        await Assertions.Expect(page.Locator("#cited-form textarea[name=text]")).ToHaveValueAsync($"{fact}\n\nExports to Russia rose in 2022\n");
        await page.FillAsync("#cited-form input[name=archiveUrl]", $"https://web.archive.org/web/2026/https://customs.example.gov/trade-2022-{marker}");
        await page.ClickAsync("#cited-form button[type=submit]");
        await Assertions.Expect(page.Locator("#reader-text .article")).ToContainTextAsync(fact);
        await Assertions.Expect(page.Locator("#reader-document")).Not.ToHaveValueAsync("");

        await page.SelectOptionAsync("#finding-form select[name=field]", "amount");
        await Assertions.Expect(page.Locator("#finding-form .now")).ToContainTextAsync("1,280,000,000,000");
        await page.FillAsync("#finding-form input[name=established]", "1.3 trillion");
        await page.FillAsync("#finding-form textarea[name=note]", "The customs release gives a higher total.");
        await AddEvidenceAsync(page, "#reader-text", fact);
        await page.ClickAsync("#finding-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#claimed blockquote")).ToHaveTextAsync("trade hit 1.28 trillion yuan in 2022");
        var established = page.Locator("#established");
        await Assertions.Expect(established).ToContainTextAsync("Amount: 1,300,000,000,000 (1.3 trillion)");
        await Assertions.Expect(established).ToContainTextAsync("Differs from the claim, which says 1,280,000,000,000 (1.28 trillion).");
        await Assertions.Expect(established.Locator($"a[href='https://customs.example.gov/trade-2022-{marker}']")).ToHaveTextAsync("Foreign trade in 2022");
        await Assertions.Expect(established).ToContainTextAsync($"Customs {marker}, Foreign trade in 2022");
        await Assertions.Expect(established).ToContainTextAsync($"supports: “{fact}”");
        await Assertions.Expect(established.Locator("a:has-text('archived copy')")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync(
            "Finding on the amount: “1,300,000,000,000 (1.3 trillion)”, not “1,280,000,000,000 (1.28 trillion)” as claimed");

        var claim = await _ledger.SendAsync(new GetClaim.Query(id));
        var finding = Assert.Single(claim.Established);
        Assert.Equal(("amount", "1280000000000", "1300000000000", true), (finding.Field, finding.Claimed, finding.Established, finding.Differs));
        Assert.Equal("1280000000000", ((QuantityValue)claim.Value).Amount);
        var cited = await _ledger.SendAsync(new GetDocument.Query(Assert.Single(finding.Evidence).DocumentId));
        Assert.Equal((DocumentKind.Cited, $"https://customs.example.gov/trade-2022-{marker}", new DateOnly(2026, 11, 28)), (cited.Kind, cited.Url, cited.RetrievedOn));

        await page.GotoAsync($"{_url}/#/?q={marker}");
        await Assertions.Expect(page.Locator("#claims tbody tr")).ToContainTextAsync("A finding differs from what was claimed");
        await page.GotoAsync($"{_url}/#/documents/{cited.Id}");
        await Assertions.Expect(page.Locator("#citations")).ToContainTextAsync($"({marker}) — evidence for a finding");
    }

    [Fact]
    public async Task amending_a_misread_record_cites_the_printed_words_selected_in_the_article_survives_a_concurrent_change_and_reads_as_such_in_the_history()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var id = await RecordTradeClaimAsync(marker, amount: "1.82 trillion");
        var page = await SignedInPageAsync();
        await OpenClaimAsync(page, id);

        await page.ClickAsync("#amend-form-box summary");
        await page.SelectOptionAsync("#amend-form select[name=field]", "amount");
        await Assertions.Expect(page.Locator("#amend-form .now")).ToContainTextAsync("1,820,000,000,000");
        await page.FillAsync("#amend-form input[name=newValue]", "1.28 trillion");
        await page.FillAsync("#amend-form textarea[name=reason]", "Two digits were swapped when the claim was recorded.");
        await AddEvidenceAsync(page, "#sources", "1.28 trillion yuan");
        await Assertions.Expect(page.Locator("#amend-form .evidence-list")).ToContainTextAsync("“1.28 trillion yuan”");
        await _ledger.SendAsync(new DisputeClaim.Command(id, "the figure looks wrong", [], null, new("Jonas Weber")));
        await page.ClickAsync("#amend-form button[type=submit]");

        await Assertions.Expect(page.Locator("#amend-form .form-conflict")).ToContainTextAsync("Version 2: Disputed the claim by Jonas Weber");
        await Assertions.Expect(page.Locator("#amend-form input[name=newValue]")).ToHaveValueAsync("1.28 trillion");
        await Assertions.Expect(page.Locator("#amend-form select[name=field]")).ToHaveValueAsync("amount");
        await Assertions.Expect(page.Locator("#amend-form textarea[name=reason]")).ToHaveValueAsync("Two digits were swapped when the claim was recorded.");
        await Assertions.Expect(page.Locator("#amend-form .evidence-list")).ToContainTextAsync("“1.28 trillion yuan”");
        await page.ClickAsync("#amend-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 3)");
        await Assertions.Expect(page.Locator("#claimed")).ToContainTextAsync("1,280,000,000,000 (1.28 trillion) yuan");
        await Assertions.Expect(page.Locator("#claimed")).ToContainTextAsync("amended 1 time(s)");
        var timeline = page.Locator("#timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("Version 3: Amended the record: the amount now reads as printed, “1,280,000,000,000 (1.28 trillion)”");
        await Assertions.Expect(timeline).ToContainTextAsync("The ledger had recorded “1,820,000,000,000 (1.82 trillion)”.");
        await Assertions.Expect(timeline).ToContainTextAsync("as printed in CNN: “1.28 trillion yuan”");

        var claim = await _ledger.SendAsync(new GetClaim.Query(id));
        Assert.Equal(("1280000000000", 1), (((QuantityValue)claim.Value).Amount, claim.AmendmentCount));
        var amended = Assert.IsType<ClaimRecordAmended>((await _ledger.SendAsync(new ClaimHistory.Query(id)))[^1].Data);
        Assert.Equal(Cnn("1.28 trillion yuan"), new SourceRef(amended.Appearance.DocumentId, amended.Appearance.Start, amended.Appearance.End, amended.Appearance.Excerpt));
    }

    [Fact]
    public async Task a_quote_gets_its_attribution_checked_with_the_sources_tried_and_then_an_opinion_verdict_that_is_not_rated()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var text = $"Wang Yi said the partnership was \"a model for the world\" ({marker}).";
        var printed = "Wang Yi said the partnership was \"a model for the world\"";
        await _ledger.RegisterAsync($"wire-{marker}", $"Wire {marker}", text);
        var recorded = await _ledger.SendAsync(new RecordClaim.Command($"model-{marker}", ClaimKind.Quote, $"Wang Yi called the partnership a model for the world ({marker})",
            new Dictionary<string, string?> { ["speaker"] = "Wang Yi", ["words"] = "a model for the world" }, Span($"wire-{marker}", text, printed), MeiLin));
        var page = await SignedInPageAsync();
        await OpenClaimAsync(page, recorded.ClaimId);
        await Assertions.Expect(page.Locator("#attribution")).ToContainTextAsync("Not checked yet");
        await Assertions.Expect(page.Locator("#verdict-form")).ToContainTextAsync("check it first");

        await page.ClickAsync("#attribution-form-box summary");
        await page.SelectOptionAsync("#attribution-form select[name=result]", "Paraphrase");
        await page.FillAsync("#attribution-form textarea[name=note]", "No transcript or readout has these words.");
        await page.ClickAsync("#attribution-form button[type=submit]");
        await Assertions.Expect(page.Locator("#attribution-form fieldset.evidence .field-error")).ToContainTextAsync("select at least one piece of evidence");
        await page.SelectOptionAsync("#attribution-form select[name=result]", "NotFound");
        await page.FillAsync("#attribution-form textarea[name=sourcesTried]", "Chinese foreign ministry readouts, February 2023\n\nXinhua English service archive\n");
        await page.ClickAsync("#attribution-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#attribution")).ToContainTextAsync("Not found: no record of it being said");
        await Assertions.Expect(page.Locator("#attribution ul.tried li")).ToHaveTextAsync(["Chinese foreign ministry readouts, February 2023", "Xinhua English service archive"]);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Attribution checked: not found");

        await page.ClickAsync("#verdict-form-box summary");
        await page.SelectOptionAsync("#verdict-form select[name=rating]", "Opinion");
        await page.FillAsync("#verdict-form textarea[name=rationale]", "A judgement of the partnership, not a checkable fact.");
        await page.ClickAsync("#verdict-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 3)");
        await Assertions.Expect(page.Locator("#summary-verdict .badge")).ToHaveTextAsync("Opinion (not rated)");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Not rated: opinion");
        var claim = await _ledger.SendAsync(new GetClaim.Query(recorded.ClaimId));
        Assert.Equal((Attribution.NotFound, 2), (claim.Attribution!.Result, claim.Attribution.SourcesTried.Count));
        Assert.Equal((Rating.Opinion, 0), (claim.Verdict!.Rating, claim.Verdict.Evidence.Count));
    }

    [Fact]
    public async Task an_unverifiable_verdict_asks_for_the_sources_tried_and_shows_them_with_the_verdict()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var id = await RecordTradeClaimAsync(marker);
        var page = await SignedInPageAsync();
        await OpenClaimAsync(page, id);

        await page.ClickAsync("#verdict-form-box summary");
        await Assertions.Expect(page.Locator("#verdict-form textarea[name=sourcesTried]")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#verdict-form select[name=rating]", "Unverifiable");
        await page.FillAsync("#verdict-form textarea[name=rationale]", "No customs release for the period was found.");
        await page.ClickAsync("#verdict-form button[type=submit]");
        await Assertions.Expect(page.Locator("#verdict-form textarea[name=sourcesTried]")).ToBeFocusedAsync();
        Assert.Equal(1, (await _ledger.SendAsync(new GetClaim.Query(id))).Version);

        await page.FillAsync("#verdict-form textarea[name=sourcesTried]", "General Administration of Customs releases, January 2023\nRosstat trade tables");
        await page.ClickAsync("#verdict-form button[type=submit]");

        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#summary-verdict .badge")).ToHaveTextAsync("Unverifiable");
        await Assertions.Expect(page.Locator("#summary-verdict ul.tried li")).ToHaveTextAsync(["General Administration of Customs releases, January 2023", "Rosstat trade tables"]);
        var verdict = (await _ledger.SendAsync(new GetClaim.Query(id))).Verdict!;
        Assert.Equal(Rating.Unverifiable, verdict.Rating);
        Assert.Equal(["General Administration of Customs releases, January 2023", "Rosstat trade tables"], verdict.SourcesTried);
    }

    [Fact]
    public async Task a_refused_finding_keeps_everything_typed_and_says_what_is_wrong_next_to_the_field_or_above_the_button()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var id = await RecordTradeClaimAsync(marker);
        var page = await SignedInPageAsync();
        await OpenClaimAsync(page, id);
        await page.ClickAsync("#finding-form-box summary");
        await page.SelectOptionAsync("#finding-form select[name=field]", "amount");
        await page.FillAsync("#finding-form input[name=established]", "a great deal");
        await page.FillAsync("#finding-form textarea[name=note]", "My note, typed with care.");

        await page.ClickAsync("#finding-form button[type=submit]");
        await Assertions.Expect(page.Locator("#finding-form fieldset.evidence .field-error")).ToContainTextAsync("select at least one piece of evidence");

        await AddEvidenceAsync(page, "#sources", "trade hit 1.28 trillion yuan in 2022");
        await page.ClickAsync("#finding-form button[type=submit]");
        var established = page.Locator("#finding-form input[name=established]");
        await Assertions.Expect(established).ToHaveAttributeAsync("aria-invalid", "true");
        var error = page.Locator("#finding-form input[name=established] ~ .field-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        Assert.Contains(await error.GetAttributeAsync("id") ?? "-", await established.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#finding-form fieldset.evidence .field-error")).ToHaveCountAsync(0);
        await Assertions.Expect(established).ToHaveValueAsync("a great deal");
        await Assertions.Expect(page.Locator("#finding-form textarea[name=note]")).ToHaveValueAsync("My note, typed with care.");
        await Assertions.Expect(page.Locator("#finding-form select[name=field]")).ToHaveValueAsync("amount");
        await Assertions.Expect(page.Locator("#finding-form .evidence-list")).ToContainTextAsync("trade hit 1.28 trillion yuan in 2022");
        Assert.Equal(1, (await _ledger.SendAsync(new GetClaim.Query(id))).Version);

        await established.FillAsync("1.28 trillion");
        await page.ClickAsync("#finding-form button[type=submit]");
        await Assertions.Expect(page.Locator("#finding-form .form-errors")).ToContainTextAsync("needs evidence from a document other than the claim's own appearance");
        await Assertions.Expect(established).Not.ToHaveAttributeAsync("aria-invalid", "true");

        await page.ClickAsync("#finding-form .evidence-list button");
        await page.SelectOptionAsync("#reader-document", "desk-note");
        await AddEvidenceAsync(page, "#reader-text", "China-Russia trade in 2022 was 1.28 trillion yuan");
        await page.ClickAsync("#finding-form button[type=submit]");
        await Assertions.Expect(page.Locator("#state h2")).ToHaveTextAsync("Current state (version 2)");
        await Assertions.Expect(page.Locator("#established")).ToContainTextAsync("Confirms what was claimed.");
        Assert.False((await _ledger.SendAsync(new GetClaim.Query(id))).DiffersFromClaimed);
    }
}
