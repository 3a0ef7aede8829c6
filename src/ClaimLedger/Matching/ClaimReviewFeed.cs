using System.Globalization;
using System.Text.Json;
using ClaimLedger.Common;

namespace ClaimLedger.Matching;

/// <summary>
/// Reads schema.org ClaimReview JSON-LD as fact-checkers publish it: one object, an array of them, an <c>@graph</c>
/// (where only the ClaimReview nodes are taken), a DataFeed (<c>dataFeedElement[].item[]</c>, as Google's and Data
/// Commons' feeds carry it), or JSON Lines of any of these. Every problem is collected with its position and field.
/// </summary>
public static class ClaimReviewFeed
{
    public const int MaxClaimLength = 5_000;
    public const int MaxTextLength = 20_000;
    public const int MaxIdLength = 2_000;

    public static (IReadOnlyList<ReferenceReview> Reviews, IReadOnlyList<ReviewProblem> Problems) Read(ReadOnlySpan<byte> utf8)
    {
        var reviews = new List<ReferenceReview>();
        var problems = new List<ReviewProblem>();
        var values = new List<(string Position, JsonElement Value)>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                var line = LineAt(utf8, (int)reader.TokenStartIndex);
                values.Add(($"line {line}", JsonElement.ParseValue(ref reader)));
            }
        }
        catch (JsonException e)
        {
            problems.Add(new($"line {LineAt(utf8, (int)Math.Min(reader.BytesConsumed, utf8.Length))}", "(file)", $"well-formed JSON or JSON Lines: {e.Message}"));
            return (reviews, problems);
        }

        if (values.Count == 0)
        {
            problems.Add(new("line 1", "(file)", "at least one ClaimReview; the file is empty"));
        }

        var single = values.Count == 1;
        foreach (var (position, value) in values)
        {
            Collect(value, single ? "" : position, strict: true, reviews, problems);
        }

        return (reviews, problems);
    }

    private static void Collect(JsonElement value, string position, bool strict, List<ReferenceReview> reviews, List<ReviewProblem> problems)
    {
        string At(string inner) => position.Length == 0 ? inner : $"{position} {inner}";
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Collect(item, At($"item {++index}"), strict, reviews, problems);
                }

                return;
            case JsonValueKind.Object when value.TryGetProperty("@graph", out var graph) && graph.ValueKind == JsonValueKind.Array:
                var node = 0;
                foreach (var item in graph.EnumerateArray())
                {
                    Collect(item, At($"@graph[{node++}]"), strict: false, reviews, problems);
                }

                return;
            case JsonValueKind.Object when value.TryGetProperty("dataFeedElement", out var elements) && elements.ValueKind == JsonValueKind.Array:
                var element = 0;
                foreach (var feedElement in elements.EnumerateArray())
                {
                    var items = feedElement.ValueKind == JsonValueKind.Object && feedElement.TryGetProperty("item", out var item) ? item : feedElement;
                    Collect(items, At($"dataFeedElement[{element++}]"), strict: false, reviews, problems);
                }

                return;
            case JsonValueKind.Object when IsClaimReview(value):
                var review = Parse(value, position.Length == 0 ? "item 1" : position, problems);
                if (review is not null)
                {
                    reviews.Add(review);
                }

                return;
            default:
                // Inside a graph or a feed, other nodes (the publisher, the web page) are context, not reviews.
                if (strict)
                {
                    problems.Add(new(position.Length == 0 ? "item 1" : position, "@type", "a ClaimReview object (\"@type\": \"ClaimReview\"), an array of them, an @graph or a DataFeed"));
                }

                return;
        }
    }

    private static bool IsClaimReview(JsonElement value) =>
        value.TryGetProperty("@type", out var type) && type.ValueKind switch
        {
            JsonValueKind.String => IsClaimReviewType(type.GetString()),
            JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && IsClaimReviewType(t.GetString())),
            _ => false,
        };

    private static bool IsClaimReviewType(string? type) => type is "ClaimReview" or "schema:ClaimReview" or "http://schema.org/ClaimReview" or "https://schema.org/ClaimReview";

    private static ReferenceReview? Parse(JsonElement review, string position, List<ReviewProblem> problems)
    {
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add(new(position, field, message));

        var claim = Text(review, "claimReviewed", MaxClaimLength, Problem);
        if (string.IsNullOrWhiteSpace(claim) && problems.Count == before)
        {
            Problem("claimReviewed", "required: the claim the review checked, as text");
        }

        var url = Text(review, "url", MaxIdLength, Problem);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            Problem("url", $"an absolute http or https URL; got '{Shorten(url)}'");
        }

        var identifier = Identifier(review, Problem);
        if (url is null && identifier is null)
        {
            Problem("url", "a url or an identifier, so the review can be named and re-imported without duplication");
        }

        string? rating = null;
        decimal? value = null, best = null, worst = null;
        if (review.TryGetProperty("reviewRating", out var reviewRating) && reviewRating.ValueKind != JsonValueKind.Null)
        {
            var node = reviewRating.ValueKind == JsonValueKind.Array && reviewRating.GetArrayLength() > 0 ? reviewRating[0] : reviewRating;
            if (node.ValueKind != JsonValueKind.Object)
            {
                Problem("reviewRating", "a Rating object with alternateName and/or ratingValue");
            }
            else
            {
                rating = Text(node, "alternateName", 500, (f, m) => Problem($"reviewRating.{f}", m));
                value = Number(node, "ratingValue", (f, m) => Problem($"reviewRating.{f}", m));
                best = Number(node, "bestRating", (f, m) => Problem($"reviewRating.{f}", m));
                worst = Number(node, "worstRating", (f, m) => Problem($"reviewRating.{f}", m));
                rating ??= value is null ? null : best is null ? value.Value.ToString(CultureInfo.InvariantCulture) : $"{value.Value.ToString(CultureInfo.InvariantCulture)} of {best.Value.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        var headline = Text(review, "headline", MaxTextLength, Problem) ?? Text(review, "name", MaxTextLength, Problem);
        var description = Text(review, "description", MaxTextLength, Problem);
        var publisher = Name(review, "author", Problem) ?? Name(review, "publisher", Problem);
        var claimant = review.TryGetProperty("itemReviewed", out var item) && item.ValueKind == JsonValueKind.Object ? Name(item, "author", (f, m) => Problem($"itemReviewed.{f}", m)) : null;
        var date = Text(review, "datePublished", 1_000, Problem);

        return problems.Count > before ? null : new ReferenceReview(
            identifier ?? url!, identifier, url, claim!.Trim(), headline, description, claimant, rating, value, best, worst, publisher, date);
    }

    private static string? Text(JsonElement parent, string field, int maxLength, Action<string, string> problem) =>
        parent.TryGetProperty(field, out var value) ? TextOf(value, field, maxLength, problem) : null;

    private static string? TextOf(JsonElement value, string field, int maxLength, Action<string, string> problem)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problem(field, $"text; got {Describe(value)}");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            problem(field, $"at most {maxLength:N0} characters; got {text.Length:N0}");
        }
        else if (RequestRules.HasHiddenCharacters(text))
        {
            problem(field, RequestRules.HiddenCharacters);
        }

        return text.Length == 0 ? null : text;
    }

    private static string? Identifier(JsonElement review, Action<string, string> problem)
    {
        if (!review.TryGetProperty("identifier", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // schema.org allows a PropertyValue; its value is the identifier.
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var inner))
        {
            value = inner;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetRawText() : TextOf(value, "identifier", MaxIdLength, problem);
    }

    private static decimal? Number(JsonElement parent, string field, Action<string, string> problem)
    {
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        problem(field, $"a number; got {Describe(value)}");
        return null;
    }

    /// <summary>An author or publisher: a name, an Organization or Person with a name, or a list of them (the first is taken).</summary>
    private static string? Name(JsonElement parent, string field, Action<string, string> problem)
    {
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var node = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 ? value[0] : value;
        return node.ValueKind switch
        {
            JsonValueKind.String => TextOf(node, field, 500, problem),
            JsonValueKind.Object => Text(node, "name", 500, (f, m) => problem($"{field}.{f}", m)),
            _ => Fail(),
        };

        string? Fail()
        {
            problem(field, $"a name or an object with a name; got {Describe(value)}");
            return null;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"'{Shorten(value.GetString()!)}'",
        _ => value.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";

    private static int LineAt(ReadOnlySpan<byte> utf8, int offset) => utf8[..offset].Count((byte)'\n') + 1;
}
