using System.Buffers.Binary;
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
        using var buffer = new MemoryStream();
        void Field(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        Field(Tag);
        Field(entry.StreamId);
        Field(entry.Version.ToString(CultureInfo.InvariantCulture));
        Field(entry.EventId.ToString("D"));
        Field(entry.EventType);
        Field(TimestampText(entry.Timestamp));
        Field(CanonicalJson.Canonicalize(entry.PayloadJson));
        Field(entry.Actor);
        buffer.Write(previous);
        return SHA256.HashData(buffer.ToArray());
    }
}
