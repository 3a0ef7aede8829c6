using ClaimLedger.Access;
using ClaimLedger.Documents;

namespace ClaimLedger.Tests;

/// <summary>How a key and a document are derived from their ledger entries, and what a stored row may not differ in.</summary>
public class RecordHistoryTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ApiKey Key = ApiKey.Create("0123456789ab", "Mei Lin", Role.Checker, new string('s', 43), Created, "admin");

    [Fact]
    public void a_key_replayed_from_its_issue_and_revocation_is_the_key_as_stored()
    {
        var revokedAt = Created.AddDays(1);

        var replayed = ApiKeyHistory.Replay([ApiKeyHistory.Issued(Key), new ApiKeyRevoked(Key.Id, revokedAt, "admin")]);

        Assert.Equal(Key with { RevokedAt = revokedAt }, replayed);
        Assert.Empty(ApiKeyHistory.Differences(replayed!, Key with { RevokedAt = revokedAt }));
    }

    [Fact]
    public void a_revived_or_raised_key_differs_from_its_entries_by_name()
    {
        var revoked = ApiKeyHistory.Replay([ApiKeyHistory.Issued(Key), new ApiKeyRevoked(Key.Id, Created.AddDays(1), "admin")])!;

        Assert.Equal(["revokedAt"], ApiKeyHistory.Differences(revoked, Key).Select(Field));
        Assert.Equal(["role", "revokedAt"], ApiKeyHistory.Differences(revoked, Key with { Role = Role.Admin }).Select(Field));
    }

    [Fact]
    public void a_revocation_without_an_issue_or_after_another_makes_no_key()
    {
        var revocation = new ApiKeyRevoked(Key.Id, Created, "admin");

        Assert.Throws<InvalidOperationException>(() => ApiKeyHistory.Replay([revocation]));
        Assert.Throws<InvalidOperationException>(() => ApiKeyHistory.Replay([ApiKeyHistory.Issued(Key), revocation, revocation]));
        Assert.Throws<InvalidOperationException>(() => ApiKeyHistory.Replay([ApiKeyHistory.Issued(Key), ApiKeyHistory.Issued(Key)]));
    }

    [Fact]
    public void a_document_differs_from_its_registration_in_each_detail_a_reader_sees()
    {
        var document = new SourceDocument("cnn-2023", "CNN", "Trade", new DateOnly(2023, 2, 22), "https://example.com/a", "en", DocumentKind.Cited,
            "Trade grew.", SourceDocument.HashOf("Trade grew."), "Mei Lin", Created) { RetrievedOn = new DateOnly(2023, 2, 23) };
        var registered = DocumentRegistered.Of(document);

        Assert.Empty(registered.Differences(document));
        Assert.Equal(["title", "url"], registered.Differences(document with { Title = "Other", Url = "https://example.com/b" }).Select(Field));
        Assert.Equal(["sha256", "length"], registered.Differences(document with { Text = "Trade fell sharply.", Sha256 = SourceDocument.HashOf("Trade fell sharply.") }).Select(Field));
        Assert.Equal(["retrievedOn", "attributedTo"], registered.Differences(document with { RetrievedOn = null, AttributedTo = "Reuters" }).Select(Field));
    }

    private static string Field(string difference) => difference[..difference.IndexOf(' ', StringComparison.Ordinal)];
}
