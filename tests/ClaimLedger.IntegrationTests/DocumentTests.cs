using ClaimLedger.Common;
using ClaimLedger.Documents;

namespace ClaimLedger.IntegrationTests;

public class DocumentTests(LedgerFixture ledger) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task a_document_is_registered_with_the_sha256_of_its_text()
    {
        var result = await ledger.RegisterAsync("doc-hash", "Reuters", "abc");

        var document = await ledger.SendAsync(new GetDocument.Query("doc-hash"));

        Assert.True(result.Created);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", document.Sha256);
        Assert.Equal("abc", document.Text);
    }

    [Fact]
    public async Task registering_the_same_document_again_changes_nothing()
    {
        await ledger.RegisterAsync("doc-twice", "Reuters", "same text");

        var again = await ledger.RegisterAsync("doc-twice", "Reuters", "same text");

        Assert.False(again.Created);
    }

    [Fact]
    public async Task a_document_text_never_changes_under_the_same_id()
    {
        await ledger.RegisterAsync("doc-fixed", "Reuters", "first text");

        var refusal = await Assert.ThrowsAsync<ClaimRuleException>(() => ledger.RegisterAsync("doc-fixed", "Reuters", "revised text"));

        Assert.Equal("document-immutable", refusal.Rule);
        Assert.Equal("first text", (await ledger.SendAsync(new GetDocument.Query("doc-fixed"))).Text);
    }

    [Fact]
    public async Task the_document_list_shows_every_registered_document_without_its_text()
    {
        var documents = await ledger.SendAsync(new ListDocuments.Query());

        Assert.Contains(documents, d => d is { Id: "cnn-2023", Publisher: "CNN" } && d.Length == LedgerFixture.CnnText.Length);
    }
}
