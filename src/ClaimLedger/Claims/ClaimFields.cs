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
            ["attribution"] = claim.Attribution is null ? null : Attributions.Label(claim.Attribution.Result),
        };
        foreach (var finding in claim.Established)
        {
            fields[$"established.{finding.Field}"] = finding.Established;
        }

        foreach (var (name, value) in claim.Value.Fields())
        {
            fields[$"value.{name}"] = value;
        }

        return fields;
    }
}
