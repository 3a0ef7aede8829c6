using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// A document's registration is a ledger entry, so the documents table is derived from the ledger and checked: a
/// document inserted, edited or deleted by SQL is named by verification even where no claim cites it. The fixture's
/// three documents are registered and no claim cites any of them.
/// </summary>
public class DocumentLedgerTests : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    private Task Sql(string sql) => Forger.SqlAsync(_ledger, sql);

    private Task<VerifyLedger.Report> VerifyAsync() => _ledger.SendAsync(new VerifyLedger.Query());

    [Fact]
    public async Task registering_a_document_appends_a_chained_entry_that_verifies_and_registering_it_again_adds_none()
    {
        var first = await _ledger.SendAsync(new RegisterDocument.Command(
            "reuters-2023", "Reuters", "Trade", new DateOnly(2023, 3, 1), "https://example.com/reuters", "en", DocumentKind.Cited, "Trade grew.", MeiLin)
        {
            RetrievedOn = new DateOnly(2023, 3, 2), AttributedTo = "Xinhua",
        });
        var again = await _ledger.SendAsync(new RegisterDocument.Command(
            "reuters-2023", "Reuters", "Trade", new DateOnly(2023, 3, 1), "https://example.com/reuters", "en", DocumentKind.Cited, "Trade grew.", MeiLin)
        {
            RetrievedOn = new DateOnly(2023, 3, 2), AttributedTo = "Xinhua",
        });

        var report = await VerifyAsync();

        Assert.Equal((true, false), (first.Created, again.Created));
        Assert.True(report.Intact, string.Join("; ", report.Breaks));
        Assert.Equal((4L, 4L, 0), (report.Entries, report.Events, report.Claims));
        var entries = await new LedgerRows(_ledger.Options).EntriesAsync(default);
        Assert.Equal(LedgerStreamIds.Document("reuters-2023"), entries[^1].StreamId);
    }

    [Fact]
    public async Task a_phantom_document_inserted_by_sql_is_named_as_never_registered()
    {
        await Sql("insert into {s}.mt_doc_sourcedocument (id, data, mt_last_modified, mt_version, mt_dotnet_type) " +
                  "select 'phantom-source', jsonb_set(data, '{id}', '\"phantom-source\"'), mt_last_modified, gen_random_uuid(), mt_dotnet_type " +
                  "from {s}.mt_doc_sourcedocument where id = 'cnn-2023'");

        BreakAssert.Only(await VerifyAsync(), "document:phantom-source", BreakKinds.DocumentUnregistered);
    }

    [Fact]
    public async Task a_phantom_document_cannot_be_cited()
    {
        await Sql("insert into {s}.mt_doc_sourcedocument (id, data, mt_last_modified, mt_version, mt_dotnet_type) " +
                  "select 'phantom-source', jsonb_set(data, '{id}', '\"phantom-source\"'), mt_last_modified, gen_random_uuid(), mt_dotnet_type " +
                  "from {s}.mt_doc_sourcedocument where id = 'cnn-2023'");

        var claim = await _ledger.RecordTradeClaimAsync("cites-a-phantom");

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => _ledger.SendAsync(
            new Claims.CorroborateClaim.Command(claim, Span("phantom-source", CnnText, "trade hit 1.28 trillion yuan"), "same figure", null, MeiLin)));

        Assert.Contains(refused.Errors, e => e.Message.Contains("'phantom-source' is not registered", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_text_edited_by_sql_cannot_be_cited_whether_or_not_the_process_checked_it_before(bool citedBefore)
    {
        var claim = await _ledger.RecordTradeClaimAsync("cites-an-edited-text");
        if (citedBefore)
        {
            await _ledger.SendAsync(new Claims.DisputeClaim.Command(claim, "the figure", [Cnn("trade hit 1.28 trillion yuan")], null, MeiLin));
        }

        // Same length, and the stored hash left as it was: only the figure changes.
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(data, '{text}', to_jsonb(replace(data ->> 'text', '1.28', '9.99'))) where id = 'cnn-2023'");
        var forged = CnnText.Replace("1.28", "9.99", StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => _ledger.SendAsync(
            new Claims.DisputeClaim.Command(claim, "a forged figure", [Span("cnn-2023", forged, "trade hit 9.99 trillion yuan")], null, MeiLin)));

        Assert.Contains(refused.Errors, e => e.Field == "evidence[0].document" && e.Message.Contains("changed behind the ledger", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_document_refused_as_unregistered_can_be_cited_as_soon_as_it_is_registered()
    {
        var claim = await _ledger.RecordTradeClaimAsync("cites-a-late-document");
        var citation = Span("late-source", CnnText, "trade hit 1.28 trillion yuan");

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => _ledger.SendAsync(
            new Claims.CorroborateClaim.Command(claim, citation, "same figure", null, MeiLin)));
        await _ledger.RegisterAsync("late-source", "Reuters", CnnText);
        var accepted = await _ledger.SendAsync(new Claims.CorroborateClaim.Command(claim, citation, "same figure", null, MeiLin));

        Assert.Contains(refused.Errors, e => e.Message.Contains("'late-source' is not registered", StringComparison.Ordinal));
        Assert.Equal(2, accepted.Version);
    }

    [Theory]
    [InlineData("title", "'\"A different title\"'", "title")]
    [InlineData("url", "'\"https://example.com/elsewhere\"'", "url")]
    [InlineData("publishedOn", "'\"2021-01-01\"'", "publishedOn")]
    [InlineData("kind", "'\"Evidence\"'", "kind")]
    [InlineData("attributedTo", "'\"Reuters\"'", "attributedTo")]
    [InlineData("publisher", "'\"Reuters\"'", "publisher")]
    [InlineData("registeredBy", "'\"Someone Else\"'", "registeredBy")]
    public async Task metadata_edited_by_sql_on_a_document_no_claim_cites_is_named(string property, string value, string named)
    {
        await Sql($"update {{s}}.mt_doc_sourcedocument set data = jsonb_set(data, '{{{property}}}', {value}) where id = 'gt-2018'");

        BreakAssert.Only(await VerifyAsync(), "document:gt-2018", BreakKinds.DocumentEdited, named);
    }

    [Fact]
    public async Task a_text_rewritten_with_its_hash_recomputed_is_named_though_no_claim_cites_it()
    {
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(jsonb_set(data, '{text}', '\"Trade fell.\"'), " +
                  "'{sha256}', to_jsonb(encode(sha256(convert_to('Trade fell.', 'UTF8')), 'hex'))) where id = 'gt-2018'");

        BreakAssert.Only(await VerifyAsync(), "document:gt-2018", BreakKinds.DocumentEdited, "sha256");
    }

    [Fact]
    public async Task a_document_deleted_by_sql_is_named_though_no_claim_cites_it()
    {
        await Sql("delete from {s}.mt_doc_sourcedocument where id = 'gt-2018'");

        BreakAssert.Only(await VerifyAsync(), "document:gt-2018", BreakKinds.DocumentEdited, "deleted");
    }

    [Fact]
    public async Task a_registration_rewritten_with_the_row_to_match_is_caught_by_its_entry_hash()
    {
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(data, '{title}', '\"Forged\"') where id = 'gt-2018'; " +
                  "update {s}.mt_events set data = jsonb_set(data, '{title}', '\"Forged\"') where stream_id = 'document:gt-2018'");

        BreakAssert.Only(await VerifyAsync(), "document:gt-2018", BreakKinds.PayloadEdited);
    }

    [Fact]
    public async Task a_document_stream_is_never_taken_for_a_claim()
    {
        var claims = await _ledger.SendAsync(new Claims.ListClaims.Query());
        var rebuilt = await _ledger.SendAsync(new Operations.RebuildReadModels.Command());

        Assert.Empty(claims.Items);
        Assert.Equal((0L, 0L), (rebuilt.Claims, rebuilt.Events));
        Assert.True((await VerifyAsync()).Intact);
    }
}
