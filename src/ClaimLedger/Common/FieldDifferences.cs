using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClaimLedger.Common;

/// <summary>
/// Where a row a reader is served differs from the record its ledger entries make, property by property, so that a
/// property added to the record is compared without anyone remembering to list it.
/// </summary>
public static class FieldDifferences
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <returns>One "name ('held', recorded as 'recorded')" per differing property, in declaration order; empty when they agree.</returns>
    /// <param name="derived">Properties computed from others (an "is active" beside a revocation time): not reported twice.</param>
    public static IReadOnlyList<string> Between<T>(T recorded, T held, params string[] derived)
    {
        var expected = JsonSerializer.SerializeToElement(recorded, Json);
        var actual = JsonSerializer.SerializeToElement(held, Json);
        return expected.EnumerateObject().Zip(actual.EnumerateObject())
            .Where(p => !derived.Contains(p.First.Name) && p.First.Value.GetRawText() != p.Second.Value.GetRawText())
            .Select(p => $"{p.First.Name} ('{p.Second.Value}', recorded as '{p.First.Value}')")
            .ToList();
    }
}
