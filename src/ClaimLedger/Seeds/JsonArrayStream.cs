using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ClaimLedger.Seeds;

/// <summary>The file is not a JSON object holding the named array.</summary>
internal sealed class JsonShapeException(string message, bool empty = false) : Exception(message)
{
    public bool Empty { get; } = empty;
}

/// <summary>
/// Reads the elements of one array property of a JSON file's root object one at a time, holding only the element
/// being read in memory, so a seed file of any size is read in bounded memory. The bytes are checked to be UTF-8
/// as they are read, so a file that is not UTF-8 fails even where its bad bytes sit outside any string.
/// </summary>
internal static class JsonArrayStream
{
    private const int InitialBuffer = 1 << 16;

    private enum Position { BeforeRoot, InRoot, InArray, Done }

    private enum Step { Advanced, Element, NeedMore }

    /// <summary>
    /// Each element of <c>root[arrayName]</c>, valid until the next one is asked for.
    /// Throws <see cref="JsonException"/> for malformed JSON, <see cref="DecoderFallbackException"/> for bytes that are not UTF-8,
    /// and <see cref="JsonShapeException"/> when the root is not an object or holds no such array.
    /// </summary>
    public static IEnumerable<JsonElement> Elements(string path, string arrayName, int maxDepth, Action<int>? bytesRead = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[InitialBuffer];
        var (start, end, validated, final) = (0, 0, 0, false);
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth });
        var position = Position.BeforeRoot;
        var sawArray = false;
        while (position != Position.Done)
        {
            JsonDocument? element = null;
            var step = TryStep(buffer.AsSpan(start, validated - start), final && validated == end, ref state, ref position, ref sawArray, arrayName, ref element, out var consumed);
            start += consumed;
            if (step == Step.Element)
            {
                using (element)
                {
                    yield return element!.RootElement;
                }

                continue;
            }

            if (step == Step.Advanced)
            {
                continue;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (end, validated, start) = (end - start, validated - start, 0);
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            bytesRead?.Invoke(read);
            end += read;
            final = read == 0;
            validated = ValidateUtf8(buffer, validated, end, final);
            if (position == Position.BeforeRoot && validated >= 3 && buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                start = 3;
            }
        }

        if (!sawArray)
        {
            throw new JsonShapeException($"no array \"{arrayName}\" in the root object");
        }
    }

    /// <summary>Checks the newly read bytes; a sequence cut by the end of the buffer waits for the next read.</summary>
    private static int ValidateUtf8(byte[] buffer, int from, int to, bool final)
    {
        var upTo = to;
        if (!final)
        {
            // Back up to the start of the last sequence, which may be incomplete.
            for (var i = to - 1; i >= Math.Max(from, to - 4); i--)
            {
                if ((buffer[i] & 0xC0) != 0x80)
                {
                    upTo = i;
                    break;
                }
            }
        }

        if (!Utf8.IsValid(buffer.AsSpan(from, upTo - from)))
        {
            throw new DecoderFallbackException("the file is not valid UTF-8");
        }

        return upTo;
    }

    /// <summary>Reads one token (or skips one value) outside the array, or one whole element inside it; NeedMore when the bytes run out.</summary>
    private static Step TryStep(
        ReadOnlySpan<byte> bytes, bool final, ref JsonReaderState state, ref Position position, ref bool sawArray,
        string arrayName, ref JsonDocument? element, out int consumed)
    {
        consumed = 0;
        if (final && position == Position.BeforeRoot && bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new JsonShapeException("the file is empty", empty: true);
        }

        var reader = new Utf8JsonReader(bytes, final, state);
        if (!reader.Read())
        {
            return Step.NeedMore;
        }

        var step = Step.Advanced;
        switch (position)
        {
            case Position.BeforeRoot:
                position = reader.TokenType == JsonTokenType.StartObject ? Position.InRoot : throw new JsonShapeException("the root is not an object");
                break;
            case Position.InRoot when reader.TokenType == JsonTokenType.EndObject:
                position = Position.Done;
                break;
            case Position.InRoot when reader.ValueTextEquals(arrayName):
                if (!reader.Read())
                {
                    return Step.NeedMore;
                }

                position = reader.TokenType == JsonTokenType.StartArray ? Position.InArray : throw new JsonShapeException($"\"{arrayName}\" is not an array");
                sawArray = true;
                break;
            case Position.InRoot:
                if (!reader.TrySkip())
                {
                    return Step.NeedMore;
                }

                break;
            case Position.InArray when reader.TokenType == JsonTokenType.EndArray:
                position = Position.InRoot;
                break;
            case Position.InArray:
                if (!JsonDocument.TryParseValue(ref reader, out element))
                {
                    return Step.NeedMore;
                }

                step = Step.Element;
                break;
        }

        consumed = (int)reader.BytesConsumed;
        state = reader.CurrentState;
        return step;
    }
}
