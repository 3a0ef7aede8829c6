using ClaimLedger.Matching;

namespace ClaimLedger.Tests;

public class QueryTextTests
{
    [Theory]
    [InlineData(
        "In Alabama you won't be able to own a car &amp; get food stamps. https://t.co/MpkbqrEdsn — Amy Jo Cousins (@_AJCousins) March 18, 2016",
        "In Alabama you won't be able to own a car & get food stamps.")]
    [InlineData(
        ".@GaryKaltbaum: the quote is from 2005, Sen. @BarackObama. pic.twitter.com/abc — Someone (@someone) May 1, 2017",
        "the quote is from 2005, Sen. BarackObama.")]
    [InlineData("#SethRich parents want this to stop", "SethRich parents want this to stop")]
    [InlineData("Plain claim with no wrapping.", "Plain claim with no wrapping.")]
    public void what_a_post_wraps_around_a_claim_is_removed(string post, string expected)
    {
        Assert.Equal(expected, QueryText.Clean(post));
    }

    [Fact]
    public void a_post_that_is_only_a_link_keeps_its_text_rather_than_becoming_empty()
    {
        Assert.Equal("https://t.co/x", QueryText.Clean("https://t.co/x"));
    }

    [Theory]
    [InlineData("Fries for $1 https://t.co/x — Amy Jo Cousins (@_AJCousins) March 18, 2016", "2016-03-18")]
    [InlineData("Fries for $1 — Someone (@someone) September 5, 2016", "2016-09-05")]
    [InlineData("Fries for $1, said on March 18, 2016", null)]
    [InlineData("Plain claim with no wrapping.", null)]
    public void an_embedded_posts_date_is_read_from_its_tail_and_nowhere_else(string post, string? expected)
    {
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), QueryText.DateOf(post));
    }

    [Theory]
    [InlineData("26 May 2015", "2015-05-26")]
    [InlineData("2015-05-26", "2015-05-26")]
    [InlineData("2015-05-26T23:30:00-05:00", "2015-05-27")]
    [InlineData("May 26, 2015", "2015-05-26")]
    [InlineData("last spring", null)]
    [InlineData(null, null)]
    public void a_reviews_publication_date_is_read_as_publishers_write_it(string? published, string? expected)
    {
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), QueryText.DateOfPublication(published));
    }
}
