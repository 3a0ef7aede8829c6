using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;

namespace ClaimLedger.Tests;

/// <summary>Events and states to start a Given/When/Then from.</summary>
internal static class Given
{
    public static readonly DateTimeOffset T0 = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);

    public static ClaimSource Cnn(int start = 0, int end = 10) => new("cnn-2023", "CNN", start, end, "excerpt");
    public static ClaimSource GlobalTimes(int start = 0, int end = 10) => new("gt-2018", "Global Times", start, end, "excerpt");
    public static ClaimSource DeskNote(int start = 0, int end = 10) => new("desk-note", "ClaimLedger research desk", start, end, "note");
    public static ClaimSource CnnOther(int start = 0, int end = 10) => new("cnn-2024", "CNN", start, end, "excerpt");
    public static ClaimSource Customs(int start = 0, int end = 10) => new("customs-2023", "General Administration of Customs", start, end, "fact");

    public static ClaimRecorded Recorded(string id = "trade-total") =>
        new(id, "Trade hit 1.28 trillion yuan in 2022", new QuantityValue("1280000000000", "yuan", "2022"), Cnn(), "Mei Lin", T0);

    public static Claim Claim(params object[] events)
    {
        Claim? claim = null;
        foreach (var e in new object[] { Recorded() }.Concat(events))
        {
            claim = ClaimEvolution.Evolve(claim, e);
        }

        return claim!;
    }

    /// <summary>The spans the tests cite, checked as the ledger would: each document's publisher is known.</summary>
    public static readonly ICheckedSources Sources = new KnownPublishers();

    public static SourceRef Ref(this ClaimSource source) => new(source.DocumentId, source.Start, source.End, source.Excerpt);

    public static WriteContext By(string actor) => new(actor);

    private sealed class KnownPublishers : ICheckedSources
    {
        public ClaimSource this[SourceRef reference] => reference.DocumentId switch
        {
            "cnn-2023" => Cnn(reference.Start, reference.End),
            "gt-2018" => GlobalTimes(reference.Start, reference.End),
            "desk-note" => DeskNote(reference.Start, reference.End),
            "cnn-2024" => CnnOther(reference.Start, reference.End),
            "customs-2023" => Customs(reference.Start, reference.End),
            _ => throw new KeyNotFoundException(reference.DocumentId),
        } with { Excerpt = reference.Excerpt };
    }

    public static Claim Quote() => ClaimEvolution.Evolve(null, new ClaimRecorded(
        "wang-quote", "Wang Yi said relations are at their best", new QuoteValue("Wang Yi", "the best level in history", null), Cnn(), "Mei Lin", T0))!;

    public static Claim Retracted() => Claim(new ClaimRetracted("trade-total", "recorded twice", "Mei Lin", T0.AddDays(1)));

    public static Claim WithEvidence() => Claim(new SourceAttached("trade-total", GlobalTimes(), Stance.Supports, null, "Priya Raman", T0.AddHours(1)));
}
