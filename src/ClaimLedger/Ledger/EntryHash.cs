using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClaimLedger.Ledger;

/// <summary>Everything an entry hash covers: what was appended, to which claim, when, by whom, after what.</summary>
/// <param name="Headers">
/// The event's headers as stored (<c>mt_events.headers</c>, JSON): the import mark readers see as "(imported)" and the
/// back-dating check trusts, with its seed step and hash. Null, JSON <c>null</c> and <c>{}</c> alike mean none. Hashed
/// from encoding 2 on.
/// </param>
/// <param name="CorrelationId">The correlation id history shows (<c>mt_events.correlation_id</c>). Hashed from encoding 2 on.</param>
public sealed record LedgerEntryFields(
    string StreamId, long Version, Guid EventId, string EventType, DateTimeOffset Timestamp, string PayloadJson, string Actor,
    string? Headers = null, string? CorrelationId = null);

/// <summary>
/// The hash of one ledger entry: SHA-256 over a versioned encoding in which every field is length-prefixed, so no two
/// different entries encode alike, chained to the previous entry of the same claim. Each entry row records the encoding
/// it was hashed with, and every encoding stays verifiable: entries written before encoding 2 keep verifying as 1.
/// </summary>
public static class EntryHash
{
    /// <summary>The encoding every new entry is hashed with: version 1's fields, then the event's headers and correlation id.</summary>
    public const int EncodingVersion = 2;

    /// <summary>The previous hash of a claim's first entry.</summary>
    public static readonly byte[] Genesis = new byte[32];

    public static bool IsKnownEncoding(int encoding) => encoding is 1 or 2;

    public static string TimestampText(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <param name="encoding">The encoding the entry row says it was hashed with; see docs/audit.md.</param>
    public static byte[] Compute(LedgerEntryFields entry, ReadOnlySpan<byte> previous, int encoding)
    {
        if (!IsKnownEncoding(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "ledger entries are hashed with encoding 1 or 2");
        }

        var buffer = Buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        Field(buffer, encoding == 1 ? "claimledger/entry/v1" : "claimledger/entry/v2");
        Field(buffer, entry.StreamId);
        Field(buffer, entry.Version.ToString(CultureInfo.InvariantCulture));
        Field(buffer, entry.EventId.ToString("D"));
        Field(buffer, entry.EventType);
        Field(buffer, TimestampText(entry.Timestamp));
        CanonicalField(buffer, entry.PayloadJson);
        Field(buffer, entry.Actor);
        if (encoding >= 2)
        {
            CanonicalField(buffer, entry.Headers, emptyWhenNone: true);
            Field(buffer, entry.CorrelationId ?? "");
        }

        buffer.Write(previous);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>The headers as encoding 2 hashes them: RFC 8785 canonical JSON, or empty when there are none.</summary>
    public static string CanonicalHeaders(string? headers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalField(buffer, headers, emptyWhenNone: true);
        return Encoding.UTF8.GetString(buffer.WrittenSpan[4..]);
    }

    /// <summary>One encoding buffer per thread, reused: entries are hashed by the hundred thousand.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? Buffer;

    /// <summary>JSON written in place as RFC 8785 canonical JSON, its length prefix filled in after.</summary>
    private static void CanonicalField(ArrayBufferWriter<byte> buffer, string? json, bool emptyWhenNone = false)
    {
        var lengthAt = buffer.WrittenCount;
        buffer.GetSpan(4);
        buffer.Advance(4);
        // PostgreSQL writes an empty jsonb object as exactly {} and JSON null as null; both mean "no headers".
        if (!(emptyWhenNone && json?.Trim() is null or "" or "null" or "{}"))
        {
            CanonicalJson.Write(json!, buffer);
        }

        BinaryPrimitives.WriteInt32BigEndian(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span[lengthAt..], buffer.WrittenCount - lengthAt - 4);
    }

    private static void Field(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        buffer.Advance(4 + length);
    }
}
