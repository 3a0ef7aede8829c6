using System.Text;
using System.Text.Json;
using ClaimLedger.Seeds;

namespace ClaimLedger.Tests;

public sealed class JsonArrayStreamTests : IDisposable
{
    // Characters written as themselves, not as \u escapes, so the file's bytes really are multi-byte UTF-8.
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"claimledger-stream-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private List<string> Read(string arrayName = "steps") =>
        JsonArrayStream.Elements(_file, arrayName, maxDepth: 16).Select(e => e.GetProperty("text").GetString()!).ToList();

    [Fact]
    public void elements_larger_than_the_buffer_and_characters_cut_by_a_read_come_back_whole()
    {
        // Three-byte characters in odd-length runs, so some fall across the 64 KiB read boundaries.
        var texts = Enumerable.Range(0, 400).Select(i => new string('–', i * 7 % 513) + $" step {i}").ToList();
        texts.Add(new string('é', 150_000));
        var json = JsonSerializer.Serialize(new { before = new { deep = new { list = Enumerable.Range(0, 5), name = "skipped" } }, steps = texts.Select(t => new { text = t }), after = "x" }, Unescaped);
        File.WriteAllBytes(_file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);

        Assert.Equal(texts, Read());
    }

    [Fact]
    public void bytes_that_are_not_utf8_fail_even_outside_any_string()
    {
        File.WriteAllBytes(_file, [.. "{\"steps\": [{\"text\": \"ok\"}], "u8.ToArray(), 0xFF, .. " \"x\": 1}"u8.ToArray()]);

        Assert.Throws<DecoderFallbackException>(() => Read());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("  \n ", true)]
    [InlineData("[1, 2]", false)]
    [InlineData("{\"claims\": []}", false)]
    [InlineData("{\"steps\": {}}", false)]
    public void an_empty_file_or_a_root_without_the_array_is_a_shape_problem(string content, bool empty)
    {
        File.WriteAllText(_file, content);

        Assert.Equal(empty, Assert.Throws<JsonShapeException>(() => Read()).Empty);
    }

    [Fact]
    public void a_file_cut_off_inside_the_array_is_malformed_json()
    {
        File.WriteAllText(_file, "{\"steps\": [{\"text\": \"a\"}, {\"text\": \"b\"");

        Assert.ThrowsAny<JsonException>(() => Read());
    }
}
