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
}
