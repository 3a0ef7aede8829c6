using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ClaimLedger.Documents;

namespace ClaimLedger.Seeds;

/// <summary>One problem in the seed files: which file, which entry, which field, and what was expected.</summary>
public sealed record SeedProblem(string File, string Entry, string Field, string Message)
{
    public override string ToString() => $"{File}: {Entry}: {Field}: {Message}";
}

/// <summary>Reads one JSON entry field by field, collecting every problem instead of stopping at the first.</summary>
/// <param name="locate">Finds where an excerpt given without its span stands in a document: its start, or a reason it cannot be placed.</param>
internal sealed class EntryReader(
    string file, string entry, JsonElement element, List<SeedProblem> problems, string prefix = "", Func<string, string, (int? Start, string? Problem)>? locate = null)
{
    public string Entry => entry;

    public JsonElement Element => element;

    public void Problem(string field, string message) => problems.Add(new SeedProblem(file, entry, prefix + field, message));

    /// <summary>A misspelt field would otherwise be silently ignored, so any field not listed is a problem.</summary>
    public void AllowOnly(params string[] names)
    {
        foreach (var property in element.EnumerateObject().Where(p => !names.Contains(p.Name)))
        {
            Problem(property.Name, $"not a field here; expected only {string.Join(", ", names)}");
        }
    }

    private JsonElement? Property(string name, bool required, JsonValueKind kind, string expected)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(name, $"required: {expected}");
            }

            return null;
        }

        if (value.ValueKind != kind)
        {
            Problem(name, $"{expected}; got a JSON {value.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }

        return value;
    }

    public string? String(string name, bool required = true, int maxLength = 10_000)
    {
        var value = Property(name, required, JsonValueKind.String, "a string")?.GetString();
        if (value is not null && value.Length > maxLength)
        {
            Problem(name, $"at most {maxLength:N0} characters; got {value.Length:N0}");
            return null;
        }

        if (required && value is { Length: 0 })
        {
            Problem(name, "a non-empty string");
            return null;
        }

        return value;
    }

    public int? Int(string name)
    {
        if (Property(name, true, JsonValueKind.Number, "a whole number") is not { } value)
        {
            return null;
        }

        if (value.TryGetInt32(out var number))
        {
            return number;
        }

        Problem(name, $"a whole number; got {value.GetRawText()}");
        return null;
    }

    public bool Bool(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Problem(name, "true or false");
        return false;
    }

    /// <summary>A calendar date written yyyy-MM-dd.</summary>
    public DateOnly? Date(string name, bool required)
    {
        var text = String(name, required);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Problem(name, $"a date as yyyy-MM-dd; got '{text}'");
        return null;
    }

    /// <summary>An array of non-empty strings; an empty list when the field is absent and not required.</summary>
    public IReadOnlyList<string> Strings(string name, bool required = false)
    {
        if (Property(name, required, JsonValueKind.Array, "an array of strings") is not { } value)
        {
            return [];
        }

        var strings = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text)
            {
                strings.Add(text);
            }
            else
            {
                Problem($"{name}[{index}]", "a non-empty string");
            }

            index++;
        }

        return strings;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            // The ledger keeps time to the microsecond, as PostgreSQL stores it.
            return new DateTimeOffset(time.Ticks - (time.Ticks % 10), time.Offset);
        }

        Problem(name, $"an ISO 8601 time with a zone, such as 2026-09-12T10:30:00Z; got '{text}'");
        return null;
    }

    public TEnum? Enum<TEnum>(string name, Func<string, TEnum?> parse, string expected) where TEnum : struct
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        var parsed = parse(text);
        if (parsed is null)
        {
            Problem(name, $"{expected}; got '{text}'");
        }

        return parsed;
    }

    public EntryReader? Object(string name, bool required = true) =>
        Property(name, required, JsonValueKind.Object, "an object") is { } value
            ? new EntryReader(file, entry, value, problems, $"{prefix}{name}.", locate)
            : null;

    public IEnumerable<EntryReader> Array(string name, bool required = true)
    {
        if (Property(name, required, JsonValueKind.Array, "an array") is not { } value)
        {
            yield break;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Problem($"{name}[{index}]", "an object");
            }
            else
            {
                yield return new EntryReader(file, entry, item, problems, $"{prefix}{name}[{index}].", locate);
            }

            index++;
        }
    }

    /// <summary>The entry's fields as a name → text map, for claim values.</summary>
    public Dictionary<string, string?> Fields()
    {
        var fields = new Dictionary<string, string?>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    fields[property.Name] = property.Value.GetString();
                    break;
                case JsonValueKind.Number:
                    fields[property.Name] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    fields[property.Name] = null;
                    break;
                default:
                    Problem(property.Name, $"a string or a number; got a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}");
                    break;
            }
        }

        return fields;
    }

    public SourceRef? SourceRef(string name, bool required = true) => Object(name, required)?.ReadSourceRef();

    public SourceRef? ReadSourceRef()
    {
        AllowOnly("document", "start", "end", "excerpt");
        var (document, excerpt) = (String("document", maxLength: 80), String("excerpt"));
        if (locate is not null && !element.TryGetProperty("start", out _) && !element.TryGetProperty("end", out _))
        {
            // An excerpt that occurs once in its document places itself; the span is then exactly where it stands.
            if (document is null || excerpt is null)
            {
                return null;
            }

            var (found, problem) = locate(document, excerpt);
            if (found is not { } at)
            {
                Problem("excerpt", problem ?? "text of the document");
                return null;
            }

            return new SourceRef(document, at, at + excerpt.Length, excerpt);
        }

        var (start, end) = (Int("start"), Int("end"));
        return document is null || start is null || end is null || excerpt is null ? null : new SourceRef(document, start.Value, end.Value, excerpt);
    }

    /// <summary>A hash of the entry's compact JSON: how a re-import recognises a seed it already applied, or a changed one.</summary>
    public string Hash()
    {
        var compact = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(compact))
        {
            element.WriteTo(writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(compact.WrittenSpan))[..16];
    }
}
