using ClaimLedger.Common;

namespace ClaimLedger.Transparency;

/// <param name="SigningKeyPath">The log's signer key file (created by <c>claimledger audit keygen</c>), outside the database.</param>
/// <param name="CheckpointInterval">How often the server signs and publishes a new checkpoint.</param>
/// <param name="WitnessKeys">Cosigner verifier keys whose cosignatures the server accepts and serves with its checkpoints.</param>
public sealed record TransparencyOptions(string SigningKeyPath, TimeSpan CheckpointInterval, IReadOnlyList<string> WitnessKeys)
{
    public const string SigningKeyVariable = "CLAIMLEDGER_SIGNING_KEY";
    public const string KeyFileName = "checkpoint-signing.key";

    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The last checkpoint signed with the key, kept beside it: a signed note, public like every checkpoint.</summary>
    public string LastCheckpointPath => SigningKeyPath + ".last-checkpoint";

    /// <summary>The defaults: the key file <c>$CLAIMLEDGER_SIGNING_KEY</c>, else <c>checkpoint-signing.key</c> in the ledger's <paramref name="home"/>.</summary>
    public static TransparencyOptions InHome(string home) =>
        new(Environment.GetEnvironmentVariable(SigningKeyVariable) is { Length: > 0 } configured ? configured : Path.Combine(home, KeyFileName), DefaultInterval, []);

    public IReadOnlyList<NoteVerifierKey> ParsedWitnessKeys()
    {
        var keys = new List<NoteVerifierKey>();
        foreach (var text in WitnessKeys)
        {
            var key = SigningKeyFile.ParseVerifier(text, "witnessKey");
            keys.Add(key.Type == NoteSignatureType.CosignatureV1
                ? key
                : throw new RequestValidationException([new("witnessKey", $"a cosigner key (signature type 0x04, from claimledger audit keygen --cosigner); {key.Name} is a note signing key")]));
        }

        return keys;
    }
}

/// <summary>
/// The signer key file: created once, readable and writable by its owner only (0600), never overwritten, and refused
/// when anyone else could read it, the way ssh treats private keys.
/// </summary>
public static class SigningKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static NoteSignerKey Create(string path, string name, NoteSignatureType type)
    {
        NoteSignerKey key;
        try
        {
            key = NoteSignerKey.Generate(name, type);
        }
        catch (FormatException e)
        {
            throw new RequestValidationException([new("name", e.Message)]);
        }

        if (File.Exists(path))
        {
            throw new ClaimRuleException("signing-key-exists", $"{path} already exists; a key is never overwritten. Move it away first, or choose another path with --key.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(key.Encoded + "\n");
        }

        return key;
    }

    public static NoteSignerKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ClaimRuleException("no-signing-key", $"there is no signing key at {path}. Create one with: claimledger audit keygen --key {path} --origin example.com/claimledger");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersAccess) != 0)
        {
            throw new ClaimRuleException("signing-key-exposed", $"{path} can be read or written by others than its owner; the key is refused. Run: chmod 600 {path} (and consider the key compromised if others could read it).");
        }

        try
        {
            return NoteSignerKey.Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new RequestValidationException([new("key", $"{path}: {e.Message}")]);
        }
    }

    /// <summary>A verifier key given on the command line, in a file, or in a request, with its field named on error.</summary>
    public static NoteVerifierKey ParseVerifier(string textOrPath, string field)
    {
        var text = File.Exists(textOrPath) ? File.ReadAllText(textOrPath) : textOrPath;
        try
        {
            return NoteVerifierKey.Parse(text);
        }
        catch (FormatException e)
        {
            throw new RequestValidationException([new(field, e.Message)]);
        }
    }
}
