using ClaimLedger.Ledger;

namespace ClaimLedger.Tests;

public class EntryHashTests
{
    private static readonly LedgerEntryFields Entry = new(
        "trade-total", 3, Guid.Parse("0192f1a4-0000-7000-8000-000000000001"), "verdict_issued",
        new DateTimeOffset(2026, 10, 14, 9, 30, 0, 123, TimeSpan.Zero).AddTicks(4560),
        """{"claimId":"trade-total","rating":"MostlyFalse","rationale":"Samarkand, 15–16 September","evidence":[{"start":539,"end":669}]}""",
        "Mei Lin");

    private static string Hash(LedgerEntryFields entry, byte[]? previous = null, int encoding = EntryHash.EncodingVersion) =>
        Convert.ToHexStringLower(EntryHash.Compute(entry, previous ?? EntryHash.Genesis, encoding));

    private static readonly LedgerEntryFields Imported = Entry with
    {
        Headers = """{"imported": true, "import-step": "trade-total/3", "import-hash": "9c1f"}""", CorrelationId = "seed-run-7",
    };

    [Fact]
    public void canonical_json_sorts_keys_drops_whitespace_and_escapes_only_what_json_requires()
    {
        var canonical = CanonicalJson.Canonicalize("{ \"b\": [1, 2.50, -0.000001], \"a\": \"x\\u00e9\\u2013\\n\\u0001\", \"B\": null, \"aa\": true }");

        Assert.Equal("{\"B\":null,\"a\":\"xé–\\n\\u0001\",\"aa\":true,\"b\":[1,2.5,-0.000001]}", canonical);
    }

    [Fact]
    public void the_same_payload_hashes_identically_after_jsonb_reorders_and_reformats_it()
    {
        var asPostgresReturnsIt = Entry with
        {
            PayloadJson = """{"rating": "MostlyFalse", "claimId": "trade-total", "evidence": [{"end": 669, "start": 539}], "rationale": "Samarkand, 15\u201316 September"}""",
        };

        Assert.Equal(Hash(Entry), Hash(asPostgresReturnsIt));
    }

    public static TheoryData<string> EveryHashedField =>
        ["stream", "version", "event id", "type", "timestamp", "payload", "actor", "previous", "import mark removed", "import step", "correlation id"];

    [Theory]
    [MemberData(nameof(EveryHashedField))]
    public void changing_any_hashed_field_changes_the_hash(string field)
    {
        var previous = EntryHash.Genesis.ToArray();
        var changed = field switch
        {
            "import mark removed" => Hash(Imported with { Headers = null }),
            "import step" => Hash(Imported with { Headers = Imported.Headers!.Replace("trade-total/3", "trade-total/4", StringComparison.Ordinal) }),
            "correlation id" => Hash(Imported with { CorrelationId = "seed-run-8" }),
            "stream" => Hash(Entry with { StreamId = "trade-totals" }),
            "version" => Hash(Entry with { Version = 4 }),
            "event id" => Hash(Entry with { EventId = Guid.Parse("0192f1a4-0000-7000-8000-000000000002") }),
            "type" => Hash(Entry with { EventType = "claim_retracted" }),
            "timestamp" => Hash(Entry with { Timestamp = Entry.Timestamp.AddTicks(10) }),
            "payload" => Hash(Entry with { PayloadJson = Entry.PayloadJson.Replace("MostlyFalse", "False", StringComparison.Ordinal) }),
            "actor" => Hash(Entry with { Actor = "Mei  Lin" }),
            _ => Hash(Entry, [.. previous[..31], 1]),
        };

        Assert.NotEqual(field is "import mark removed" or "import step" or "correlation id" ? Hash(Imported) : Hash(Entry), changed);
    }

    [Fact]
    public void encoding_1_leaves_headers_and_correlation_id_out_and_encoding_2_hashes_them()
    {
        Assert.Equal(Hash(Entry, encoding: 1), Hash(Imported, encoding: 1));
        Assert.NotEqual(Hash(Entry), Hash(Imported));
        Assert.NotEqual(Hash(Entry, encoding: 1), Hash(Entry));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    [InlineData("{}")]
    public void no_headers_hash_alike_however_the_column_says_so(string? headers) =>
        Assert.Equal(Hash(Entry), Hash(Entry with { Headers = headers }));

    [Fact]
    public void headers_hash_alike_after_jsonb_reorders_them() =>
        Assert.Equal(Hash(Imported), Hash(Imported with { Headers = """{"import-hash":"9c1f","imported":true,"import-step":"trade-total/3"}""" }));

    [Fact]
    public void an_unknown_encoding_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Hash(Entry, encoding: 3));

    [Fact]
    public void fields_cannot_be_shifted_into_each_other()
    {
        var a = Entry with { StreamId = "ab", Actor = "c" };
        var b = Entry with { StreamId = "a", Actor = "bc" };

        Assert.NotEqual(Hash(a), Hash(b));
    }
}
