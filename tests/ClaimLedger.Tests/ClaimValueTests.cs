using ClaimLedger.Claims;
using ClaimLedger.Common;

namespace ClaimLedger.Tests;

public class ClaimValueTests
{
    private static (ClaimValue? Value, List<FieldError> Errors) Parse(ClaimKind kind, params (string Key, string? Value)[] fields)
    {
        var errors = new List<FieldError>();
        var value = ClaimValues.Parse(kind, fields.ToDictionary(f => f.Key, f => f.Value), errors);
        return (value, errors);
    }

    [Theory]
    [InlineData("1.28 trillion", "1280000000000")]
    [InlineData("100 billion", "100000000000")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("25", "25")]
    [InlineData("38.0", "38")]
    [InlineData("-3.5 million", "-3500000")]
    [InlineData("0.5", "0.5")]
    public void scale_words_are_resolved_to_an_exact_canonical_amount(string written, string canonical)
    {
        Assert.Equal(canonical, Amounts.Normalize(written));
    }

    [Theory]
    [InlineData("1,280 billion", "1280000000000")]
    [InlineData("1,234,567.89", "1234567.89")]
    [InlineData("-12,000", "-12000")]
    public void commas_that_group_digits_in_threes_are_thousands_separators(string written, string canonical)
    {
        Assert.Equal(canonical, Amounts.Normalize(written));
    }

    [Theory]
    [InlineData("1,28 trillion", "1280000000000")]
    [InlineData("13,8 billion", "13800000000")]
    [InlineData("0,5", "0.5")]
    public void a_single_comma_that_does_not_group_digits_in_threes_is_the_decimal_comma(string written, string canonical)
    {
        Assert.Equal(canonical, Amounts.Normalize(written));
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("12,34.5")]
    [InlineData("1,28.5 trillion")]
    [InlineData(",5")]
    [InlineData("5,")]
    public void a_comma_that_could_be_read_either_way_is_refused(string written)
    {
        var (value, errors) = Parse(ClaimKind.Quantity, ("amount", written), ("unit", "yuan"));

        Assert.Null(value);
        Assert.Contains(errors, e => e.Field == "value.amount");
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("1.28 zillion")]
    [InlineData("1e9")]
    [InlineData("")]
    public void text_that_is_not_an_amount_is_refused(string written)
    {
        var (value, errors) = Parse(ClaimKind.Quantity, ("amount", written), ("unit", "yuan"));

        Assert.Null(value);
        Assert.Contains(errors, e => e.Field == "value.amount");
    }

    [Theory]
    [InlineData("2018-04-05", DatePrecision.Day)]
    [InlineData("2018-06", DatePrecision.Month)]
    [InlineData("2017", DatePrecision.Year)]
    public void an_event_date_takes_its_precision_from_its_form(string date, DatePrecision precision)
    {
        var (value, errors) = Parse(ClaimKind.Event, ("what", "Wang Yi visits Moscow"), ("date", date));

        Assert.Empty(errors);
        Assert.Equal(precision, ((EventValue)value!).Precision);
    }

    [Fact]
    public void a_range_needs_an_end_after_its_start()
    {
        var (range, ok) = Parse(ClaimKind.Event, ("what", "Xi visits Russia"), ("date", "2017-07-03"), ("endDate", "2017-07-04"));
        var (_, backwards) = Parse(ClaimKind.Event, ("what", "Xi visits Russia"), ("date", "2017-07-04"), ("endDate", "2017-07-03"));

        Assert.Empty(ok);
        Assert.Equal(DatePrecision.Range, ((EventValue)range!).Precision);
        Assert.Equal("value.endDate", backwards.Single().Field);
    }

    [Theory]
    [InlineData("2023-02-30")]
    [InlineData("2023-13")]
    [InlineData("February 2023")]
    public void a_date_that_does_not_exist_is_refused(string date)
    {
        var (_, errors) = Parse(ClaimKind.Event, ("what", "x"), ("date", date));

        Assert.Equal("value.date", errors.Single().Field);
    }

    [Fact]
    public void a_stated_precision_that_contradicts_the_date_is_refused()
    {
        var (_, errors) = Parse(ClaimKind.Event, ("what", "x"), ("date", "2018-06"), ("precision", "Day"));

        Assert.Equal("value.precision", errors.Single().Field);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-60")]
    [InlineData("sixty")]
    public void an_expulsion_count_must_be_a_whole_number_of_at_least_one(string count)
    {
        var (_, errors) = Parse(ClaimKind.Expulsion, ("expellingParty", "United States"), ("expelledParty", "Russian diplomats"), ("count", count));

        Assert.Equal("value.count", errors.Single().Field);
    }

    [Fact]
    public void an_expulsion_keeps_its_parties_count_and_month()
    {
        var (value, errors) = Parse(ClaimKind.Expulsion, ("expellingParty", "United States"), ("expelledParty", "Russian diplomats"), ("count", "60"), ("date", "2018-03"));

        Assert.Empty(errors);
        Assert.Equal(new ExpulsionValue("United States", "Russian diplomats", 60, "2018-03", DatePrecision.Month), value);
    }

    [Fact]
    public void every_missing_required_field_is_named()
    {
        var (_, errors) = Parse(ClaimKind.Quote);

        Assert.Equal(["value.speaker", "value.words"], errors.Select(e => e.Field));
    }

    [Fact]
    public void a_field_of_another_kind_is_refused()
    {
        var (_, errors) = Parse(ClaimKind.Statement, ("amount", "5"));

        Assert.Equal("value.amount", errors.Single().Field);
    }

    [Theory]
    [InlineData("China and Russia: trade hit 1.28 trillion yuan!", "china-and-russia-trade-hit-1-28-trillion-yuan")]
    [InlineData("Wáng Yì visits Moscow", "wang-yi-visits-moscow")]
    [InlineData("!!!", "claim")]
    public void slugs_are_derived_from_free_text(string text, string slug)
    {
        Assert.Equal(slug, Slug.From(text));
        Assert.True(Slug.IsValid(Slug.From(text)));
    }

    [Theory]
    [InlineData("MostlyTrue", Rating.MostlyTrue)]
    [InlineData("Mostly true", Rating.MostlyTrue)]
    [InlineData("half-true", Rating.HalfTrue)]
    [InlineData("false", Rating.False)]
    [InlineData("Unverifiable", Rating.Unverifiable)]
    public void ratings_are_read_in_any_of_their_written_forms(string text, Rating rating)
    {
        Assert.True(Ratings.TryParse(text, out var parsed));
        Assert.Equal(rating, parsed);
    }

    [Theory]
    [InlineData("Pants on fire")]
    [InlineData("")]
    [InlineData("7")]
    public void an_unknown_rating_is_not_read(string text)
    {
        Assert.False(Ratings.TryParse(text, out _));
    }
}
