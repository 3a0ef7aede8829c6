namespace ClaimLedger.Matching;

/// <summary>
/// How matching ranks, in two stages. First, candidates: the entries best by BM25 over PostgreSQL's stemmed words
/// (claim, title and subtitle folded into one frequency, the claim counting most) and those best by cosine between
/// sentence embeddings. Then the candidates are ranked again by a weighted sum of their cosine, their BM25 score
/// relative to the best candidate's and, when the query and a review are both dated, how close their dates are: a post
/// is most often checked within days of going round, so a review published near it is the likelier answer. The
/// weights were chosen on the benchmark's train queries only (docs/matching.md); the dev queries only measure them.
/// </summary>
public static class MatchScoring
{
    public const int CandidatesPerRanker = 50;

    /// <param name="DateBonus">Added for a review published on the query's date …</param>
    /// <param name="DateDecay">… less this much per e-fold of (1 + days apart / <paramref name="DateScaleDays"/>).</param>
    public sealed record Weights(double Cosine, double Lexical, double DateBonus = 0, double DateDecay = 0, double DateScaleDays = 7, double K1 = 1.2, double B = 0.75);

    public static readonly Weights Tuned = new(Cosine: 1.0, Lexical: 0.34, DateBonus: 0.21, DateDecay: 0.06, DateScaleDays: 7);

    public sealed record Scored(int Entry, double Score, double Cosine, double Lexical);

    /// <param name="queryDate">When the text was published, if known; without it no date counts.</param>
    public static IReadOnlyList<Scored> Rank(
        MatchIndex.Snapshot index, float[] query, IReadOnlyDictionary<string, int> queryTerms, DateOnly? queryDate, int top,
        Func<MatchIndex.MatchEntry, bool> include, Weights? weights = null)
    {
        weights ??= Tuned;
        var entries = index.Entries;
        if (entries.Length == 0)
        {
            return [];
        }

        var lexical = Bm25(index, queryTerms, weights);
        var cosine = new float[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            cosine[i] = SentenceEmbedder.Cosine(query, entries[i].Vector);
        }

        var candidates = new HashSet<int>(TopBy(lexical.Keys, i => lexical[i], CandidatesPerRanker, i => include(entries[i])));
        candidates.UnionWith(TopBy(Enumerable.Range(0, entries.Length), i => cosine[i], CandidatesPerRanker, i => include(entries[i])));
        var bestLexical = candidates.Select(i => lexical.GetValueOrDefault(i)).DefaultIfEmpty(0).Max();

        return [.. candidates
            .Select(i =>
            {
                var relative = bestLexical > 0 ? lexical.GetValueOrDefault(i) / bestLexical : 0;
                var score = (weights.Cosine * cosine[i]) + (weights.Lexical * relative) + DatePrior(queryDate, entries[i].Published, weights);
                return new Scored(i, score, cosine[i], lexical.GetValueOrDefault(i));
            })
            .OrderByDescending(s => s.Score).ThenBy(s => entries[s.Entry].Key, StringComparer.Ordinal)
            .Take(top)];
    }

    private static double DatePrior(DateOnly? query, DateOnly? published, Weights weights)
    {
        if (query is not { } asked || published is not { } at)
        {
            return 0;
        }

        var daysApart = Math.Abs(at.DayNumber - asked.DayNumber);
        return weights.DateBonus - (weights.DateDecay * Math.Log(1 + (daysApart / weights.DateScaleDays)));
    }

    private static Dictionary<int, double> Bm25(MatchIndex.Snapshot index, IReadOnlyDictionary<string, int> queryTerms, Weights weights)
    {
        var scores = new Dictionary<int, double>();
        var n = index.Entries.Length;
        foreach (var term in queryTerms.Keys)
        {
            if (!index.Postings.TryGetValue(term, out var posting))
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - posting.DocumentFrequency + 0.5) / (posting.DocumentFrequency + 0.5)));
            foreach (var (entry, count) in posting.Postings)
            {
                var norm = weights.K1 * (1 - weights.B + (weights.B * index.Entries[entry].Length / index.AverageLength));
                scores[entry] = scores.GetValueOrDefault(entry) + (idf * count * (weights.K1 + 1) / (count + norm));
            }
        }

        return scores;
    }

    private static IEnumerable<int> TopBy(IEnumerable<int> items, Func<int, double> score, int count, Func<int, bool> include)
    {
        var best = new PriorityQueue<int, double>();
        foreach (var item in items)
        {
            if (!include(item))
            {
                continue;
            }

            var value = score(item);
            if (best.Count < count)
            {
                best.Enqueue(item, value);
            }
            else if (best.TryPeek(out _, out var lowest) && value > lowest)
            {
                best.DequeueEnqueue(item, value);
            }
        }

        return best.UnorderedItems.Select(x => x.Element);
    }
}
