using System.Text.Json.Nodes;
using ClaimLedger.Api.Endpoints;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;

namespace ClaimLedger.Api;

/// <summary>One worked example per request body, drawn from the seed articles, for the API reference and generated clients.</summary>
internal static class OpenApiExamples
{
    private static readonly JsonObject Span = new()
    {
        ["documentId"] = "cnn-2023", ["start"] = 1234, ["end"] = 1260, ["excerpt"] = "trade hit 1.28 trillion yuan",
    };

    private static readonly JsonObject CitedFact = new()
    {
        ["documentId"] = "customs-2023-01-13", ["start"] = 0, ["end"] = 50, ["excerpt"] = "China-Russia trade in 2022 was 1.28 trillion yuan.",
    };

    public static JsonNode? For(Type type) => type.Name switch
    {
        nameof(SourceRef) => Span.DeepClone(),
        nameof(RecordClaimBody) => new JsonObject
        {
            ["id"] = "trade-cn-ru-2022-total", ["kind"] = "Quantity", ["statement"] = "China-Russia trade hit 1.28 trillion yuan in 2022",
            ["value"] = new JsonObject { ["amount"] = "1.28 trillion", ["unit"] = "yuan", ["period"] = "2022" }, ["appearance"] = Span.DeepClone(),
        },
        nameof(AttachSourceBody) => new JsonObject { ["source"] = Span.DeepClone(), ["stance"] = "Contradicts", ["reason"] = "customs data differ" },
        nameof(CorroborateBody) => new JsonObject { ["source"] = Span.DeepClone(), ["reason"] = "same figure from another publisher" },
        nameof(DisputeBody) => new JsonObject { ["reason"] = "Wang Yi said it, not Patrushev", ["evidence"] = new JsonArray(Span.DeepClone()) },
        nameof(AmendRecordBody) => new JsonObject
        {
            ["field"] = "unit", ["newValue"] = "yuan", ["reason"] = "the article says yuan; the record said dollars", ["appearance"] = Span.DeepClone(),
        },
        nameof(FindingBody) => new JsonObject
        {
            ["field"] = "speaker", ["established"] = "Wang Yi", ["note"] = "the ministry's readout gives the words to Wang Yi",
            ["evidence"] = new JsonArray(CitedFact.DeepClone()),
        },
        nameof(AttributionBody) => new JsonObject
        {
            ["result"] = "Misattributed", ["note"] = "Wang Yi said it, not Patrushev", ["evidence"] = new JsonArray(CitedFact.DeepClone()),
        },
        nameof(VerdictBody) => new JsonObject
        {
            ["rating"] = "MostlyFalse", ["rationale"] = "Customs figures give 1.28 trillion yuan, not dollars.", ["evidence"] = new JsonArray(CitedFact.DeepClone()),
        },
        nameof(RetractBody) => new JsonObject { ["reason"] = "recorded twice" },
        nameof(RegisterDocumentBody) => new JsonObject
        {
            ["id"] = "cnn-2023", ["publisher"] = "CNN", ["title"] = "China's top diplomat visits Moscow", ["publishedOn"] = "2023-02-22",
            ["url"] = "https://edition.cnn.com/2023/02/22/china-russia", ["language"] = "en", ["kind"] = "Article", ["text"] = "The full text of the article…",
        },
        nameof(CreateKeyBody) => new JsonObject { ["person"] = "Mei Lin", ["role"] = "Checker" },
        nameof(Digest) => new JsonObject
        {
            ["treeSize"] = 1203, ["rootHash"] = "9f2c8d0b6e4a1c3f5b7d9e0a2c4e6f8a1b3d5f7092c4e6a8b0d2f4a6c8e0b2d4f", ["computedAt"] = "2026-11-29T12:00:00+00:00",
            ["claims"] = new JsonObject { ["trade-2022"] = "5f0c2a9e81d4b7c3", ["visit-2023"] = "0b9a7c21" },
        },
        _ => null,
    };
}
