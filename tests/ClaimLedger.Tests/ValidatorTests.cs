using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using FluentValidation;

namespace ClaimLedger.Tests;

public class ValidatorTests
{
    private static readonly WriteContext Checker = new("Mei Lin");
    private static readonly SourceRef Span = new("cnn-2023", 0, 5, "China");

    private static List<string> Failures<T>(AbstractValidator<T> validator, T request) =>
        validator.Validate(request).Errors.Select(e => e.PropertyName).ToList();

    [Fact]
    public void a_date_inference_without_a_publication_date_is_refused()
    {
        var command = new RegisterDocument.Command("cnn-2023", "CNN", "Title", null, null, "en", DocumentKind.Article, "text", Checker)
        {
            DateInference = "The text reports the visit 'on Thursday'.",
        };

        Assert.Equal(["DateInference"], Failures(new RegisterDocument.Validator(), command));
        Assert.Empty(Failures(new RegisterDocument.Validator(), command with { PublishedOn = new DateOnly(2018, 4, 6) }));
    }

    [Fact]
    public void a_statement_longer_than_1000_characters_is_refused()
    {
        var command = new RecordClaim.Command(null, ClaimKind.Statement, new string('x', 1001), new Dictionary<string, string?>(), Span, Checker);

        Assert.Equal(["Statement"], Failures(new RecordClaim.Validator(), command));
    }

    [Fact]
    public void a_statement_of_exactly_1000_characters_is_accepted()
    {
        var command = new RecordClaim.Command(null, ClaimKind.Statement, new string('x', 1000), new Dictionary<string, string?>(), Span, Checker);

        Assert.Empty(Failures(new RecordClaim.Validator(), command));
    }

    [Fact]
    public void a_rationale_longer_than_10000_characters_is_refused()
    {
        var command = new IssueVerdict.Command("trade-total", Rating.True, new string('x', 10_001), [], null, Checker);

        Assert.Equal(["Rationale"], Failures(new IssueVerdict.Validator(), command));
    }

    [Fact]
    public void a_malformed_claim_id_is_refused()
    {
        var command = new RetractClaim.Command("Trade Total!", "why", null, Checker);

        Assert.Equal(["ClaimId"], Failures(new RetractClaim.Validator(), command));
    }

    [Fact]
    public void a_span_that_ends_before_it_starts_is_refused()
    {
        var command = new AttachSource.Command("trade-total", new SourceRef("cnn-2023", 10, 4, "x"), Stance.Supports, null, null, Checker);

        Assert.Equal(["Source.End"], Failures(new AttachSource.Validator(), command));
    }

    [Fact]
    public void a_finding_without_evidence_is_refused()
    {
        var command = new RecordFinding.Command("trade-total", "amount", "2", "why", [], null, Checker);

        Assert.Equal(["Evidence"], Failures(new RecordFinding.Validator(), command));
    }

    [Fact]
    public void an_expected_version_below_one_is_refused()
    {
        var command = new DisputeClaim.Command("trade-total", "why", [], 0, Checker);

        Assert.Equal(["ExpectedVersion"], Failures(new DisputeClaim.Validator(), command));
    }

    [Fact]
    public void a_write_without_an_actor_is_refused()
    {
        var command = new RetractClaim.Command("trade-total", "why", null, new WriteContext(""));

        Assert.Equal(["context.actor"], Failures(new RetractClaim.Validator(), command));
    }

    [Fact]
    public void an_as_of_query_needs_exactly_one_of_version_or_time()
    {
        var validator = new ClaimAsOf.Validator();

        Assert.NotEmpty(Failures(validator, new ClaimAsOf.Query("trade-total")));
        Assert.NotEmpty(Failures(validator, new ClaimAsOf.Query("trade-total", 2, DateTimeOffset.UnixEpoch)));
        Assert.Empty(Failures(validator, new ClaimAsOf.Query("trade-total", 2)));
    }
}
