using System.Text.Json;

namespace ClaimLedger.Seeds;

/// <summary>
/// Seeds that passed every check, split by claim into parts small enough to decide one part at a time, each a
/// seeds folder of its own with the entries in their original order. A scenario's steps for one claim can be spread
/// over the whole file, so deciding a large import in one pass would hold every claim's state at once.
/// </summary>
internal sealed class SeedPartitions : IDisposable
{
    /// <summary>About this much of claims.json goes to each part: a few thousand claims, a few megabytes of state. Tests lower it.</summary>
    internal static long ClaimBytesPerPart { get; set; } = 4 << 20;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"claimledger-import-{Guid.NewGuid():N}");
    private readonly Dictionary<string, Utf8JsonWriter[]> _writers = [];
    private readonly List<Stream> _files = [];

    public int Count { get; }

    private SeedPartitions(int count) => Count = count;

    /// <summary>Null when the seeds are small enough to be decided in one pass.</summary>
    public static SeedPartitions? For(SeedSet seeds)
    {
        var claims = Path.Combine(seeds.Folder, SeedSet.ClaimsFile);
        var count = File.Exists(claims) ? (int)Math.Min(4_096, new FileInfo(claims).Length / ClaimBytesPerPart + 1) : 1;
        return count > 1 ? new SeedPartitions(count) : null;
    }

    public string Folder(int part) => Path.Combine(_root, part.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Write(string file, string claimId, JsonElement entry)
    {
        var writer = WritersFor(file)[(int)(PartOf(claimId) % (ulong)Count)];
        entry.WriteTo(writer);
        if (writer.BytesPending > 1 << 16)
        {
            writer.Flush();
        }
    }

    private Utf8JsonWriter[] WritersFor(string file)
    {
        if (!_writers.TryGetValue(file, out var writers))
        {
            writers = new Utf8JsonWriter[Count];
            for (var part = 0; part < Count; part++)
            {
                Directory.CreateDirectory(Folder(part));
                var stream = new FileStream(Path.Combine(Folder(part), file), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                _files.Add(stream);
                writers[part] = new Utf8JsonWriter(stream);
                writers[part].WriteStartObject();
                writers[part].WriteStartArray(file == SeedSet.ClaimsFile ? "claims" : "steps");
            }

            _writers[file] = writers;
        }

        return writers;
    }

    /// <summary>FNV-1a: stable across processes and runs, unlike string.GetHashCode.</summary>
    private static ulong PartOf(string claimId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in claimId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Closes the parts' files; each part then reads as a seeds folder.</summary>
    public void Complete()
    {
        foreach (var writers in new[] { SeedSet.ClaimsFile, SeedSet.ScenarioFile }.Select(WritersFor).ToList())
        {
            foreach (var writer in writers)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Dispose();
            }
        }

        _writers.Clear();
        _files.ForEach(f => f.Dispose());
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values.SelectMany(w => w))
        {
            writer.Dispose();
        }

        _files.ForEach(f => f.Dispose());
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
