using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ClaimLedger.Transparency;

/// <summary>One signature line of a signed note: <c>— name base64(key ID ‖ signature)</c>.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature)
{
    public string Line => $"\u2014 {KeyName} {Convert.ToBase64String([.. KeyIdBytes(KeyId), .. Signature])}\n";

    public bool IsFrom(NoteVerifierKey key) => KeyName == key.Name && KeyId == key.KeyId;

    internal static byte[] KeyIdBytes(uint id)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        return bytes;
    }
}

/// <summary>
/// A C2SP signed note: a text ending in a newline, a blank line, then one or more signature lines. Notes from unknown
/// keys are ignored, as the spec requires; a note is accepted only when a signature of a known key verifies.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>More signatures than this and the note is refused unread (the spec asks verifiers to accept at least 16).</summary>
    public const int MaxSignatures = 64;

    public string Encoded => Text + "\n" + string.Concat(Signatures.Select(s => s.Line));

    public override string ToString() => Encoded;

    public static SignedNote Sign(string text, NoteSignerKey signer)
    {
        if (signer.Type != NoteSignatureType.Ed25519)
        {
            throw new InvalidOperationException("a note is signed with an Ed25519 (0x01) key; cosigner keys sign cosignatures");
        }

        return new SignedNote(text, [new NoteSignature(signer.Name, signer.Verifier.KeyId, signer.Sign(Encoding.UTF8.GetBytes(text)))]);
    }

    public SignedNote WithSignatures(IEnumerable<NoteSignature> more) =>
        this with { Signatures = [.. Signatures, .. more.Where(m => !Signatures.Any(s => s.KeyName == m.KeyName && s.KeyId == m.KeyId))] };

    /// <summary>Does a signature by <paramref name="key"/> (a note key, 0x01) verify over the text?</summary>
    public bool IsSignedBy(NoteVerifierKey key) =>
        key.Type == NoteSignatureType.Ed25519
        && Signatures.Any(s => s.IsFrom(key))
        && Signatures.Where(s => s.IsFrom(key)).All(s => key.VerifyEd25519(Encoding.UTF8.GetBytes(Text), s.Signature));

    public static SignedNote Parse(string note)
    {
        if (note.Any(c => c < 0x20 && c != '\n'))
        {
            throw new FormatException("a signed note has no control characters other than newline");
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            throw new FormatException("a signed note is a text ending in a newline, a blank line, then signature lines each ending in a newline");
        }

        var text = note[..(split + 1)];
        var lines = note[(split + 2)..].Split('\n')[..^1];
        if (lines.Length == 0 || lines.Length > MaxSignatures)
        {
            throw new FormatException($"a signed note has between 1 and {MaxSignatures} signature lines; this one has {lines.Length}");
        }

        return new SignedNote(text, lines.Select(ParseLine).ToList());
    }

    private static NoteSignature ParseLine(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != "\u2014" || !NoteKeyName.IsValid(parts[1]))
        {
            throw new FormatException($"a signature line is '— <key name> <base64>'; got '{line}'");
        }

        var bytes = NoteVerifierKey.Base64(parts[2], $"the signature of {parts[1]}");
        return bytes.Length > 4
            ? new NoteSignature(parts[1], BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..])
            : throw new FormatException($"the signature of {parts[1]} is too short to hold a key ID and a signature");
    }
}

/// <summary>
/// The body of a C2SP tlog-checkpoint: the log's origin, the tree size in decimal, and the RFC 6962 root in base64,
/// each on its own line. This ledger writes no extension lines.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    public string Text => $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    public string RootHex => Convert.ToHexStringLower(RootHash);

    public override string ToString() => $"{Origin} at size {Size:N0}, root {RootHex}";

    public bool SameTreeAs(Checkpoint other) => Origin == other.Origin && Size == other.Size && RootHash.AsSpan().SequenceEqual(other.RootHash);

    public static Checkpoint Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[^1] != "" || lines[..^1].Any(l => l.Length == 0))
        {
            throw new FormatException("a checkpoint is at least three non-empty lines: origin, tree size, base64 root hash");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            throw new FormatException($"a checkpoint's second line is the tree size in decimal without leading zeroes; got '{lines[1]}'");
        }

        var root = NoteVerifierKey.Base64(lines[2], "the checkpoint's root hash");
        return root.Length == 32 ? new Checkpoint(lines[0], size, root) : throw new FormatException("a checkpoint's root hash is 32 bytes");
    }
}

/// <summary>
/// C2SP tlog-cosignature/v1 with Ed25519: the cosigner signs <c>cosignature/v1\ntime T\n</c> followed by the whole
/// checkpoint text, and its signature line carries <c>key ID ‖ u64 big-endian T ‖ signature</c>.
/// </summary>
public static class Cosignature
{
    /// <summary>The last second .NET can represent (9999-12-31); any later timestamp is refused rather than trusted.</summary>
    private const ulong MaxRepresentableTime = 253_402_300_799;

    public static NoteSignature Sign(Checkpoint checkpoint, NoteSignerKey cosigner, DateTimeOffset at)
    {
        if (cosigner.Type != NoteSignatureType.CosignatureV1)
        {
            throw new InvalidOperationException("a cosignature is made with a cosigner key (type 0x04): claimledger audit keygen --cosigner");
        }

        var time = (ulong)at.ToUnixTimeSeconds();
        var timestamp = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(timestamp, time);
        return new NoteSignature(cosigner.Name, cosigner.Verifier.KeyId, [.. timestamp, .. cosigner.Sign(Message(checkpoint.Text, time))]);
    }

    /// <summary>The time a cosignature by <paramref name="key"/> on the note's checkpoint was made, if one verifies.</summary>
    public static DateTimeOffset? VerifiedTime(SignedNote note, NoteVerifierKey key) => Verified(note, key)?.Time;

    /// <summary>The cosignature by <paramref name="key"/> on the note's checkpoint that verifies, and its time; null if none does.</summary>
    public static (NoteSignature Signature, DateTimeOffset Time)? Verified(SignedNote note, NoteVerifierKey key)
    {
        if (key.Type != NoteSignatureType.CosignatureV1)
        {
            return null;
        }

        foreach (var signature in note.Signatures.Where(s => s.IsFrom(key) && s.Signature.Length == 72))
        {
            var time = BinaryPrimitives.ReadUInt64BigEndian(signature.Signature);
            if (time <= MaxRepresentableTime && key.VerifyEd25519(Message(note.Text, time), signature.Signature.AsSpan(8)))
            {
                return (signature, DateTimeOffset.FromUnixTimeSeconds((long)time));
            }
        }

        return null;
    }

    private static byte[] Message(string checkpointText, ulong time) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {time.ToString(CultureInfo.InvariantCulture)}\n{checkpointText}");
}
