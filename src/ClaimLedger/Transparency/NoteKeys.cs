using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace ClaimLedger.Transparency;

/// <summary>The C2SP signed-note signature types this ledger uses: its own checkpoints, and witnesses' cosignatures.</summary>
public enum NoteSignatureType : byte
{
    Ed25519 = 0x01,
    CosignatureV1 = 0x04,
}

/// <summary>
/// A public key in the C2SP signed-note verifier key form, <c>name+hex(key ID)+base64(type ‖ public key)</c>, where the
/// key ID is the first four bytes of <c>SHA-256(name ‖ 0x0A ‖ type ‖ public key)</c>.
/// </summary>
public sealed record NoteVerifierKey(string Name, uint KeyId, NoteSignatureType Type, byte[] PublicKey)
{
    public string Encoded => $"{Name}+{KeyId:x8}+{Convert.ToBase64String([(byte)Type, .. PublicKey])}";

    public override string ToString() => Encoded;

    public static uint ComputeKeyId(string name, NoteSignatureType type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = (byte)type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>Reads a verifier key, refusing one whose key ID does not match its name and key, or an unsupported type.</summary>
    public static NoteVerifierKey Parse(string text)
    {
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3 || !NoteKeyName.IsValid(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            throw new FormatException("a verifier key is name+keyid+base64 (eight hex digits of key ID), as printed by claimledger audit keygen");
        }

        var blob = Base64(parts[2], "the verifier key's public key");
        if (blob.Length != 33 || blob[0] is not ((byte)NoteSignatureType.Ed25519 or (byte)NoteSignatureType.CosignatureV1))
        {
            throw new FormatException("only Ed25519 keys (signature type 0x01) and Ed25519 cosigner keys (0x04) are supported");
        }

        var key = new NoteVerifierKey(parts[0], id, (NoteSignatureType)blob[0], blob[1..]);
        return ComputeKeyId(key.Name, key.Type, key.PublicKey) == id
            ? key
            : throw new FormatException($"the key ID {parts[1]} does not belong to this name and public key");
    }

    public bool VerifyEd25519(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64
        && NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, PublicKey, KeyBlobFormat.RawPublicKey, out var key)
        && SignatureAlgorithm.Ed25519.Verify(key!, message, signature);

    internal static byte[] Base64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{what} is not valid base64");
        }
    }
}

/// <summary>
/// A private key in the signed-note signer key form, <c>PRIVATE+KEY+name+hex(key ID)+base64(type ‖ 32-byte seed)</c>.
/// Its text is a secret: it is written only to a file its owner alone can read, and never printed or logged.
/// </summary>
public sealed class NoteSignerKey : IDisposable
{
    private const string Prefix = "PRIVATE+KEY+";
    private readonly Key _key;

    private NoteSignerKey(string name, NoteSignatureType type, Key key)
    {
        (Name, Type, _key) = (name, type, key);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Verifier = new NoteVerifierKey(name, NoteVerifierKey.ComputeKeyId(name, type, publicKey), type, publicKey);
    }

    public string Name { get; }

    public NoteSignatureType Type { get; }

    public NoteVerifierKey Verifier { get; }

    public static NoteSignerKey Generate(string name, NoteSignatureType type)
    {
        NoteKeyName.Require(name);
        return new NoteSignerKey(name, type, Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    public static NoteSignerKey Parse(string text)
    {
        var trimmed = text.Trim();
        var parts = trimmed.StartsWith(Prefix, StringComparison.Ordinal) ? trimmed[Prefix.Length..].Split('+', 3) : [];
        if (parts.Length != 3 || !NoteKeyName.IsValid(parts[0]))
        {
            throw new FormatException("a signer key is PRIVATE+KEY+name+keyid+base64, as written by claimledger audit keygen");
        }

        var blob = NoteVerifierKey.Base64(parts[2], "the signer key");
        if (blob.Length != 33 || blob[0] is not ((byte)NoteSignatureType.Ed25519 or (byte)NoteSignatureType.CosignatureV1)
            || !Key.TryImport(SignatureAlgorithm.Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey, out var key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }))
        {
            throw new FormatException("the signer key is not an Ed25519 key of type 0x01 or 0x04");
        }

        var signer = new NoteSignerKey(parts[0], (NoteSignatureType)blob[0], key!);
        return string.Equals(parts[1], signer.Verifier.KeyId.ToString("x8", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
            ? signer
            : throw new FormatException("the signer key's ID does not match its name and key");
    }

    /// <summary>The key's secret text, for its key file only.</summary>
    public string Encoded =>
        $"{Prefix}{Name}+{Verifier.KeyId:x8}+{Convert.ToBase64String([(byte)Type, .. _key.Export(KeyBlobFormat.RawPrivateKey)])}";

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public override string ToString() => $"signer key {Name} ({Verifier.KeyId:x8})";

    public void Dispose() => _key.Dispose();
}

internal static class NoteKeyName
{
    public static bool IsValid(string name) => name.Length > 0 && !name.Contains('+') && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static void Require(string name)
    {
        if (!IsValid(name))
        {
            throw new FormatException($"'{name}' cannot be a key name: it must be non-empty, without spaces or '+' (a schema-less URL such as example.com/claimledger)");
        }
    }
}
