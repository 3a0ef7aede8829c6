using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClaimLedger.Ledger;

/// <summary>Everything an entry hash covers: what was appended, to which claim, when, by whom, after what.</summary>
public sealed record LedgerEntryFields(
    string StreamId, long Version, Guid EventId, string EventType, DateTimeOffset Timestamp, string PayloadJson, string Actor);

/// <summary>
/// The hash of one ledger entry: SHA-256 over a versioned encoding in which every field is length-prefixed, so no two
/// different entries encode alike, chained to the previous entry of the same claim.
/// </summary>
public static class EntryHash
{
    public const int EncodingVersion = 1;
    private const string Tag = "claimledger/entry/v1";

    /// <summary>The previous hash of a claim's first entry.</summary>
    public static readonly byte[] Genesis = new byte[32];

    public static string TimestampText(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Compute(LedgerEntryFields entry, ReadOnlySpan<byte> previous)
    {
        var buffer = Buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        Field(buffer, Tag);
        Field(buffer, entry.StreamId);
        Field(buffer, entry.Version.ToString(CultureInfo.InvariantCulture));
        Field(buffer, entry.EventId.ToString("D"));
        Field(buffer, entry.EventType);
        Field(buffer, TimestampText(entry.Timestamp));
        // The canonical payload is written in place, and its length prefix filled in after.
        var lengthAt = buffer.WrittenCount;
        buffer.GetSpan(4);
        buffer.Advance(4);
        CanonicalJson.Write(entry.PayloadJson, buffer);
        var written = buffer.WrittenCount;
        Field(buffer, entry.Actor);
        buffer.Write(previous);
        var encoded = MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32BigEndian(encoded[lengthAt..], written - lengthAt - 4);
        return SHA256.HashData(encoded);
    }

    /// <summary>One encoding buffer per thread, reused: entries are hashed by the hundred thousand.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? Buffer;

    private static void Field(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        buffer.Advance(4 + length);
    }
}
