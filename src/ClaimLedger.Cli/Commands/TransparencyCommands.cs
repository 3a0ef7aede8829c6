using System.ComponentModel;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Transparency;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class KeygenSettings : CommandSettings
{
    [CommandOption("--key-file <FILE>")]
    [Description("Where to write the secret key (0600, never overwritten); default $CLAIMLEDGER_SIGNING_KEY, else checkpoint-signing.key in the ledger's home")]
    public string? KeyFile { get; init; }

    [CommandOption("--origin <NAME>")]
    [Description("The key's name: the log's origin line (or the witness's name), a schema-less URL such as example.com/claimledger")]
    public string? Origin { get; init; }

    [CommandOption("--cosigner")]
    [Description("Create a witness's cosigner key (C2SP tlog-cosignature, type 0x04) instead of the log's signing key; needs --key-file")]
    public bool Cosigner { get; init; }
}

[Description("Create the log's checkpoint signing key (or a witness's cosigner key) in a file only you can read; print its public key")]
internal sealed class KeygenCommand : Command<KeygenSettings>
{
    protected override int Execute(CommandContext context, KeygenSettings s, CancellationToken cancellationToken)
    {
        if (s.Cosigner && s.KeyFile is null)
        {
            throw new RequestValidationException([new("keyFile", "a path for the cosigner key: the default path is the log's own signing key")]);
        }

        var path = s.KeyFile ?? LedgerClient.DefaultTransparency().SigningKeyPath;
        var host = Environment.MachineName.ToLowerInvariant();
        using var key = SigningKeyFile.Create(path, s.Origin ?? (s.Cosigner ? $"{host}/witness" : $"{host}/claimledger"),
            s.Cosigner ? NoteSignatureType.CosignatureV1 : NoteSignatureType.Ed25519);
        Output.Error.MarkupLine($"Wrote the {(s.Cosigner ? "cosigner" : "signing")} key [bold]{Output.Escape(key.Name)}[/] to {Output.Escape(path)} (readable by you only; keep it out of backups others can read).");
        Output.Error.MarkupLine(s.Cosigner
            ? "Its public key, for the log's serve --witness-key and for anyone checking cosignatures:"
            : "Its public key, for witnesses and auditors (also served at /transparency/key):");
        Console.Out.WriteLine(key.Verifier.Encoded);
        return ExitCodes.Ok;
    }
}

internal class SigningKeySettings : OutputFileSettings
{
    [CommandOption("--key-file <FILE>")]
    [Description("The log's signing key (claimledger audit keygen); default $CLAIMLEDGER_SIGNING_KEY, else checkpoint-signing.key in the ledger's home")]
    public string? KeyFile { get; init; }

    [CommandOption("--key <VKEY>")]
    [Description("The log's public key (verifier key text or a file holding it) to check checkpoints with; default the signing key's own")]
    public string? Key { get; init; }

    public TransparencyOptions Options() => LedgerClient.DefaultTransparency() is var defaults && KeyFile is not null ? defaults with { SigningKeyPath = KeyFile } : defaults;

    public NoteVerifierKey LogKey(LedgerClient ledger) =>
        Key is null ? ledger.Service<CheckpointSigner>().Key.Verifier : SigningKeyFile.ParseVerifier(Key, "key");

    public static SignedCheckpoint ReadCheckpoint(string path, NoteVerifierKey key, string field)
    {
        try
        {
            return SignedCheckpoint.Open(File.ReadAllText(path), key);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new RequestValidationException([new(field, $"a checkpoint signed by {key.Name} (claimledger audit checkpoint); {path}: {e.Message}")]);
        }
    }
}

internal sealed class CheckpointSettings : SigningKeySettings
{
    [CommandOption("--extends <FILE>")]
    [Description("A checkpoint signed before: refuse to sign unless the ledger still extends it")]
    public string? Extends { get; init; }
}

[Description("Sign a checkpoint of the ledger as it is now (C2SP tlog-checkpoint in a signed note)")]
internal sealed class CheckpointCommand : LedgerCommand<CheckpointSettings>
{
    protected override TransparencyOptions TransparencyOptionsFor(CheckpointSettings settings) => settings.Options();

    protected override async Task<int> RunAsync(LedgerClient ledger, CheckpointSettings s, CancellationToken ct)
    {
        var earlier = s.Extends is null ? null : SigningKeySettings.ReadCheckpoint(s.Extends, s.LogKey(ledger), "extends").Checkpoint;
        var signed = await ledger.Send(new SignCheckpoint.Command(earlier), ct);
        await NoteFile.WriteAsync(signed.Note.Encoded, s.Out, ct);
        Output.Error.MarkupLine($"Signed the checkpoint of {Output.Escape(signed.Checkpoint.ToString())}.");
        return ExitCodes.Ok;
    }
}

internal sealed class ConsistencySettings : SigningKeySettings
{
    [CommandOption("--old <FILE>")] [Description("The earlier checkpoint")] public string Old { get; init; } = "";
    [CommandOption("--new <FILE>")] [Description("The later checkpoint; default a checkpoint signed now")] public string? New { get; init; }
}

[Description("Prove that one checkpoint's tree is a prefix of another's (RFC 6962 consistency proof); exit 0 when it holds")]
internal sealed class ConsistencyCommand : LedgerCommand<ConsistencySettings>
{
    protected override TransparencyOptions TransparencyOptionsFor(ConsistencySettings settings) => settings.Options();

    protected override async Task<int> RunAsync(LedgerClient ledger, ConsistencySettings s, CancellationToken ct)
    {
        if (s.Old.Length == 0)
        {
            throw new RequestValidationException([new("old", "the earlier checkpoint's file (--old FILE)")]);
        }

        var key = s.LogKey(ledger);
        var older = SigningKeySettings.ReadCheckpoint(s.Old, key, "old");
        var newer = s.New is null ? await ledger.Send(new SignCheckpoint.Command(), ct) : SigningKeySettings.ReadCheckpoint(s.New, key, "new");
        if (newer.Checkpoint.Size < older.Checkpoint.Size)
        {
            throw new RequestValidationException([new("new", $"a checkpoint at least as large as the old one ({older.Checkpoint.Size:N0}); it has {newer.Checkpoint.Size:N0}")]);
        }

        var proof = await ledger.Send(new ProveConsistency.Query(older.Checkpoint.Size, newer.Checkpoint.Size), ct);
        var file = new ConsistencyProofFile(ConsistencyProofFile.CurrentFormat, older.Note.Encoded, newer.Note.Encoded, proof.Proof);
        JsonFile.Write(file, s.Out);
        return CheckProofCommand.Show(ProofCheck.Consistency(file, key));
    }
}

internal sealed class WitnessSettings : CommandSettings
{
    [CommandOption("--log <URL>")] [Description("The log's address, e.g. http://127.0.0.1:5080")] public string Log { get; init; } = "";
    [CommandOption("--state <FILE>")] [Description("The last checkpoint this witness accepted; created on the first run")] public string State { get; init; } = "";
    [CommandOption("--log-key <VKEY>")] [Description("The log's public key (verifier key text or a file holding it)")] public string LogKey { get; init; } = "";
    [CommandOption("--key-file <FILE>")] [Description("This witness's cosigner key (claimledger audit keygen --cosigner)")] public string KeyFile { get; init; } = "";
}

[Description("Witness the log: check its latest checkpoint's signature and consistency with the last one accepted, then cosign it or refuse and say why")]
internal sealed class WitnessCommand : AsyncCommand<WitnessSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, WitnessSettings s, CancellationToken cancellationToken)
    {
        try
        {
            var missing = new[] { ("log", s.Log), ("state", s.State), ("logKey", s.LogKey), ("keyFile", s.KeyFile) }.Where(o => o.Item2.Length == 0).ToList();
            if (missing.Count > 0 || !Uri.TryCreate(s.Log.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
            {
                throw new RequestValidationException(missing.Count > 0
                    ? missing.Select(m => new FieldError(m.Item1, "required")).ToList()
                    : [new("log", $"an absolute http(s) URL; got '{s.Log}'")]);
            }

            var logKey = SigningKeyFile.ParseVerifier(s.LogKey, "logKey");
            using var witnessKey = SigningKeyFile.Load(s.KeyFile);
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var outcome = await new Witness(http, logKey, witnessKey, s.State, TimeProvider.System).RunAsync(cancellationToken);
            if (!outcome.Cosigned)
            {
                Output.Error.MarkupLine($"[red]refused ({Output.Escape(outcome.Refusal)}):[/] {Output.Escape(outcome.Message)}");
                return ExitCodes.Refused;
            }

            Console.Out.Write(outcome.CosignedNote!.Encoded);
            Output.Error.MarkupLine($"[green]Cosigned:[/] {Output.Escape(outcome.Message)}");
            if (!outcome.HandedIn)
            {
                Output.Error.MarkupLine("[yellow]The log did not keep the cosignature[/] (is this witness's key in its serve --witness-key?); the cosigned checkpoint is printed above.");
            }

            return ExitCodes.Ok;
        }
        catch (HttpRequestException e)
        {
            Output.Error.MarkupLine($"[red]no checkpoint from the log:[/] {Output.Escape(e.Message)}. Check --log; nothing was cosigned and the state is unchanged.");
            return ExitCodes.Unavailable;
        }
    }
}

internal static class NoteFile
{
    public static async Task WriteAsync(string note, string? path, CancellationToken ct)
    {
        if (path is null)
        {
            Console.Out.Write(note);
            return;
        }

        await File.WriteAllTextAsync(path, note, ct);
        Output.Error.MarkupLine($"Wrote {Output.Escape(path)}");
    }
}
