using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClaimLedger.Ledger;

/// <summary>
/// JSON in the one form RFC 8785 (JCS) allows: object members sorted by their UTF-16 code units, no insignificant
/// whitespace, strings escaped only where JSON requires it, numbers in their shortest round-trip form. PostgreSQL's
/// jsonb reorders keys and drops whitespace, so hashing a payload only works on this form.
/// </summary>
public static class CanonicalJson
{
    public static string Canonicalize(string json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length);
        Write(json, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the canonical form of <paramref name="json"/> as UTF-8, without building it as a string first.</summary>
    public static void Write(string json, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(json);
        Write(document.RootElement, output);
    }

    private static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                Ascii(output, "{");
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        Ascii(output, ",");
                    }

                    WriteString(properties[i].Name, output);
                    Ascii(output, ":");
                    Write(properties[i].Value, output);
                }

                Ascii(output, "}");
                break;
            case JsonValueKind.Array:
                Ascii(output, "[");
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        Ascii(output, ",");
                    }

                    Write(item, output);
                }

                Ascii(output, "]");
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                Ascii(output, Number(element));
                break;
            case JsonValueKind.True:
                Ascii(output, "true");
                break;
            case JsonValueKind.False:
                Ascii(output, "false");
                break;
            default:
                Ascii(output, "null");
                break;
        }
    }

    private static void Ascii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }

    private static string Number(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        // ECMAScript's Number-to-String: shortest round-trip digits, exponent only outside [1e-6, 1e21).
        var value = element.GetDouble();
        if (double.IsInteger(value) && Math.Abs(value) < 1e21)
        {
            return value.ToString("F0", CultureInfo.InvariantCulture);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal))
        {
            return text;
        }

        var (mantissa, exponent) = (text[..text.IndexOf('E', StringComparison.Ordinal)], int.Parse(text[(text.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
        return Math.Abs(value) >= 1e-6 && Math.Abs(value) < 1e21
            ? value.ToString("0.#####################", CultureInfo.InvariantCulture)
            : $"{mantissa}e{(exponent >= 0 ? "+" : "-")}{Math.Abs(exponent)}";
    }

    /// <summary>A string with only what JSON requires escaped: the quote, the backslash and control characters.</summary>
    private static void WriteString(string value, IBufferWriter<byte> output)
    {
        Ascii(output, "\"");
        var run = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            Utf8(value.AsSpan(run, i - run), output);
            run = i + 1;
            Ascii(output, c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => $"\\u{(int)c:x4}",
            });
        }

        Utf8(value.AsSpan(run), output);
        Ascii(output, "\"");
    }

    private static void Utf8(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        if (!text.IsEmpty)
        {
            output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
        }
    }
}
