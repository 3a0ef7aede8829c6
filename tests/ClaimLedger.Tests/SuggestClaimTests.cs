using ClaimLedger.Claims;

namespace ClaimLedger.Tests;

/// <summary>What the workbench suggests for passages of the seeded articles, normalized by the ledger's own parser.</summary>
public class SuggestClaimTests
{
    private static readonly DateOnly April2018 = new(2018, 4, 6);

    [Fact]
    public void a_figure_with_a_scale_word_is_a_quantity_with_its_exact_amount_unit_and_year()
    {
        var suggestion = SuggestClaim.Suggest("Last year, China’s trade with Russia hit a record of 1.28 trillion yuan in 2022.");

        Assert.Equal(ClaimKind.Quantity, suggestion.Kind);
        Assert.Equal(("1280000000000", "yuan", "2022"), (suggestion.Value["amount"], suggestion.Value["unit"], suggestion.Value["period"]));
        Assert.Empty(suggestion.Problems);
    }

    [Fact]
    public void a_currency_sign_gives_the_unit()
    {
        var suggestion = SuggestClaim.Suggest("revealing another $100 billion in possible tariffs on Thursday night");

        Assert.Equal((ClaimKind.Quantity, "100000000000", "USD"), (suggestion.Kind, suggestion.Value["amount"], suggestion.Value["unit"]));
    }

    [Fact]
    public void a_quotation_names_the_speaker_without_the_title()
    {
        var suggestion = SuggestClaim.Suggest(
            "During a visit to Moscow on Thursday, Chinese Foreign Minister Wang Yi was quoted as saying relations between two countries were at \"the best level in history.\"");

        Assert.Equal(ClaimKind.Quote, suggestion.Kind);
        Assert.Equal(("Wang Yi", "the best level in history."), (suggestion.Value["speaker"], suggestion.Value["words"]));
    }

    [Fact]
    public void a_speaker_named_after_the_quotation_and_an_apposition_is_found()
    {
        var suggestion = SuggestClaim.Suggest(
            "\"China's asserting the viability of an alternate world order,\" Richard McGregor, senior fellow at Sydney's Lowy Institute, told CNN.");

        Assert.Equal((ClaimKind.Quote, "Richard McGregor"), (suggestion.Kind, suggestion.Value["speaker"]));
    }

    [Fact]
    public void an_expulsion_gives_who_expelled_how_many_of_whom_and_the_date_in_the_documents_year()
    {
        var suggestion = SuggestClaim.Suggest("The US announced on March 26 its decision to expel 60 Russian diplomats", April2018);

        Assert.Equal(ClaimKind.Expulsion, suggestion.Kind);
        Assert.Equal(("US", "Russian diplomats", "60", "2018-03-26"),
            (suggestion.Value["expellingParty"], suggestion.Value["expelledParty"], suggestion.Value["count"], suggestion.Value["date"]));
        Assert.Contains(suggestion.Notes, n => n.Contains("took 2018 from the document's date", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Putin is planning to pay a state visit to Beijing in June.", "2018-06", "Month", null, "Putin is planning to pay a state visit to Beijing")]
    [InlineData("Putin meets Wang Yi at the Kremlin in Moscow on April 5.", "2018-04-05", "Day", null, "Putin meets Wang Yi at the Kremlin in Moscow")]
    [InlineData("Xi Jinping was on a two-day visit to Russia from July 3 to 4.", "2018-07-03", "Range", "2018-07-04", "Xi Jinping was on a two-day visit to Russia")]
    [InlineData("The treaty was signed on 16 July 2001 in Moscow.", "2001-07-16", "Day", null, "The treaty was signed in Moscow")]
    [InlineData("Relations were very close in February 1950.", "1950-02", "Month", null, "Relations were very close")]
    public void a_dated_passage_is_an_event_with_the_dates_precision(string passage, string date, string precision, string? endDate, string what)
    {
        var suggestion = SuggestClaim.Suggest(passage, April2018);

        Assert.Equal(ClaimKind.Event, suggestion.Kind);
        Assert.Equal((date, precision, endDate, what), (suggestion.Value["date"], suggestion.Value["precision"], suggestion.Value["endDate"], suggestion.Value["what"]));
    }

    [Fact]
    public void a_passage_with_nothing_structured_is_a_statement_and_says_so()
    {
        var suggestion = SuggestClaim.Suggest("  Meanwhile Russia faces an ongoing,\n international diplomatic fallout. ");

        Assert.Equal(ClaimKind.Statement, suggestion.Kind);
        Assert.Equal("Meanwhile Russia faces an ongoing, international diplomatic fallout.", suggestion.Statement);
        Assert.NotEmpty(suggestion.Notes);
    }

    [Fact]
    public void a_quantity_whose_unit_cannot_be_read_is_suggested_with_the_problem_named()
    {
        var suggestion = SuggestClaim.Suggest("Exports rose by 3 billion in the first quarter.");

        Assert.Equal(ClaimKind.Quantity, suggestion.Kind);
        Assert.Contains(suggestion.Problems, p => p.Field == "value.unit");
    }
}
