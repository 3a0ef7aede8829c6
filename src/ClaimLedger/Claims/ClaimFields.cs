namespace ClaimLedger.Claims;

/// <summary>A claim flattened to named fields, the unit in which diffs are told.</summary>
public static class ClaimFields
{
    public static SortedDictionary<string, string?> Of(Claim claim)
    {
        var fields = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["statement"] = claim.Statement,
            ["status"] = claim.Status.ToString(),
            ["verdict"] = claim.Verdict is null ? null : Ratings.Label(claim.Verdict.Rating),
            ["verdict.rationale"] = claim.Verdict?.Rationale,
            ["sources"] = string.Join("; ", claim.Sources.Select(s => $"{(s.Corroborates ? "corroborates" : s.Stance.ToString().ToLowerInvariant())}: {s.Source.Publisher} {s.Source.DocumentId} [{s.Source.Start}, {s.Source.End})")),
            ["publishers"] = string.Join(", ", claim.Publishers),
            ["retraction"] = claim.RetractionReason,
        };
        foreach (var (name, value) in claim.Value.Fields())
        {
            fields[$"value.{name}"] = value;
        }

        return fields;
    }
}
