using ClaimLedger.Common;
using System.Text;
using Npgsql;

namespace ClaimLedger.Matching;

public enum MatchKind { Review, Claim }

/// <summary>
/// Every reference review and desk claim as matching ranks them, held in memory: its embedding and its stemmed words
/// as PostgreSQL's full-text search analysed them. Loaded from the two matching tables on first use and brought up to
/// date before each query by reading only the rows changed since (one indexed max() per table when nothing changed).
/// Scanning every vector costs about 1 ms per 10,000 entries on one core, which at the collection sizes in view is
/// cheaper than keeping an approximate index right; docs/matching.md says where that stops being true.
/// </summary>
public sealed class MatchIndex(ClaimLedgerOptions options) : IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Dictionary<(MatchKind, string), MatchEntry> _entries = [];
    private long _reviewsSeen = -1, _claimsSeen = -1;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>The entries as of the last refresh; a query works on one snapshot while a refresh builds the next.</summary>
    public Snapshot Current => _snapshot;

    /// <summary>Reads the rows changed since the last refresh (all of them the first time) and analyses the query text in the same round trip.</summary>
    public async Task<Dictionary<string, int>> RefreshAndAnalyseAsync(NpgsqlConnection connection, string query, CancellationToken ct)
    {
        var schema = options.Schema;
        await using var probe = new NpgsqlCommand(
            $"select (select coalesce(max(change), 0) from {schema}.{MatchingSchema.ReviewsTable}), " +
            $"(select coalesce(max(change), 0) from {schema}.{MatchingSchema.ClaimsTable}), " +
            $"to_tsvector('{MatchingSchema.TextSearchConfig}', @query)::text", connection);
        probe.Parameters.AddWithValue("query", query);
        long reviews, claims;
        string words;
        await using (var reader = await probe.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (reviews, claims, words) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        }

        if (reviews != Volatile.Read(ref _reviewsSeen) || claims != Volatile.Read(ref _claimsSeen))
        {
            await RefreshAsync(connection, ct);
        }

        return TermCounts(Lexemes.Parse(words), WeightsOf.Query);
    }

    private async Task RefreshAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await _refreshing.WaitAsync(ct);
        try
        {
            var schema = options.Schema;
            var changed = false;
            await using (var reviews = new NpgsqlCommand(
                $"select result_id, embedding, search::text, change, date_published from {schema}.{MatchingSchema.ReviewsTable} where change > @seen and model = @model", connection))
            {
                reviews.Parameters.AddWithValue("seen", _reviewsSeen);
                reviews.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
                (changed, _reviewsSeen) = await ReadAsync(reviews, MatchKind.Review, _reviewsSeen, ct);
            }

            await using (var claims = new NpgsqlCommand(
                $"select claim_id, embedding, search::text, change, null::text from {schema}.{MatchingSchema.ClaimsTable} where change > @seen and model = @model", connection))
            {
                claims.Parameters.AddWithValue("seen", _claimsSeen);
                claims.Parameters.AddWithValue("model", SentenceEmbedder.ModelId);
                var (claimsChanged, seen) = await ReadAsync(claims, MatchKind.Claim, _claimsSeen, ct);
                (changed, _claimsSeen) = (changed || claimsChanged, seen);
            }

            if (changed || _snapshot == Snapshot.Empty)
            {
                _snapshot = Snapshot.Build([.. _entries.Values]);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<(bool Changed, long Seen)> ReadAsync(NpgsqlCommand command, MatchKind kind, long seen, CancellationToken ct)
    {
        var changed = false;
        seen = Math.Max(seen, 0);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(0);
            var terms = TermCounts(Lexemes.Parse(reader.GetString(2)), WeightsOf.Fields);
            var published = QueryText.DateOfPublication(reader.IsDBNull(4) ? null : reader.GetString(4));
            _entries[(kind, key)] = new MatchEntry(kind, key, reader.GetFieldValue<float[]>(1), terms, terms.Values.Sum(), published);
            seen = Math.Max(seen, reader.GetInt64(3));
            changed = true;
        }

        return (changed, seen);
    }

    private static Dictionary<string, int> TermCounts(IEnumerable<(string Lexeme, char Weight)> occurrences, Func<char, int> weight)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (lexeme, label) in occurrences)
        {
            counts[lexeme] = counts.GetValueOrDefault(lexeme) + weight(label);
        }

        return counts;
    }

    /// <summary>
    /// How much one occurrence counts, by where it is: BM25F folds the fields into one term frequency. Tuned on the
    /// benchmark's train queries together with <see cref="MatchScoring"/>.
    /// </summary>
    private static class WeightsOf
    {
        public static int Fields(char label) => label switch { 'A' => 5, 'B' => 3, 'C' => 2, _ => 5 };

        public static int Query(char label) => 1;
    }

    /// <param name="Published">A review's datePublished, when it could be read; desk claims carry none.</param>
    public sealed record MatchEntry(MatchKind Kind, string Key, float[] Vector, Dictionary<string, int> Terms, int Length, DateOnly? Published = null);

    public sealed class Snapshot
    {
        public static readonly Snapshot Empty = Build([]);

        public required MatchEntry[] Entries { get; init; }
        public required Dictionary<string, (int DocumentFrequency, (int Entry, int Count)[] Postings)> Postings { get; init; }
        public double AverageLength { get; init; }

        public static Snapshot Build(MatchEntry[] entries)
        {
            var postings = new Dictionary<string, List<(int, int)>>();
            for (var i = 0; i < entries.Length; i++)
            {
                foreach (var (term, count) in entries[i].Terms)
                {
                    if (!postings.TryGetValue(term, out var list))
                    {
                        postings[term] = list = [];
                    }

                    list.Add((i, count));
                }
            }

            return new Snapshot
            {
                Entries = entries,
                Postings = postings.ToDictionary(p => p.Key, p => (p.Value.Count, p.Value.ToArray())),
                AverageLength = entries.Length == 0 ? 1 : Math.Max(1, entries.Average(e => e.Length)),
            };
        }
    }

    public void Dispose() => _refreshing.Dispose();

    /// <summary>Reads PostgreSQL's text form of a tsvector: <c>'word':1A,4 'it''s':2B</c>; a position without a letter has weight D.</summary>
    internal static class Lexemes
    {
        public static IEnumerable<(string Lexeme, char Weight)> Parse(string tsvector)
        {
            var i = 0;
            var lexeme = new StringBuilder();
            var result = new List<(string, char)>();
            while (i < tsvector.Length)
            {
                if (tsvector[i] != '\'')
                {
                    i++;
                    continue;
                }

                lexeme.Clear();
                for (i++; i < tsvector.Length; i++)
                {
                    if (tsvector[i] == '\'' && i + 1 < tsvector.Length && tsvector[i + 1] == '\'')
                    {
                        lexeme.Append('\'');
                        i++;
                    }
                    else if (tsvector[i] == '\\' && i + 1 < tsvector.Length)
                    {
                        lexeme.Append(tsvector[++i]);
                    }
                    else if (tsvector[i] == '\'')
                    {
                        break;
                    }
                    else
                    {
                        lexeme.Append(tsvector[i]);
                    }
                }

                i++;
                var word = lexeme.ToString();
                if (i < tsvector.Length && tsvector[i] == ':')
                {
                    i++;
                    while (i < tsvector.Length && tsvector[i] != ' ')
                    {
                        if (!char.IsDigit(tsvector[i]))
                        {
                            i++;
                            continue;
                        }

                        while (i < tsvector.Length && char.IsDigit(tsvector[i]))
                        {
                            i++;
                        }

                        var labelled = i < tsvector.Length && tsvector[i] is 'A' or 'B' or 'C' or 'D';
                        result.Add((word, labelled ? tsvector[i] : 'D'));
                    }
                }
                else
                {
                    result.Add((word, 'D'));
                }
            }

            return result;
        }
    }
}
