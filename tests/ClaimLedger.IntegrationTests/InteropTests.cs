using System.Diagnostics;
using System.Text.Json;
using ClaimLedger.Claims;
using ClaimLedger.Ledger;
using ClaimLedger.Transparency;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// An independent implementation (Interop/check_tlog.py: Python with the <c>cryptography</c> package, written from the
/// C2SP specs, RFC 6962/9162 and docs/audit.md) accepts the ledger's signed checkpoint, a witness's cosignature and
/// both kinds of proof, and refuses them once edited. The README's test setup installs python3-cryptography.
/// </summary>
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InteropTests : IAsyncLifetime
{
    private static readonly string[] FileNames = ["log.vkey", "checkpoint.txt", "inclusion.json", "consistency.json", "witness.vkey"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };
    private readonly string _folder = Directory.CreateTempSubdirectory("claimledger-interop-").FullName;
    private LedgerFixture _ledger = null!;

    public async Task InitializeAsync()
    {
        using (SigningKeyFile.Create(Path.Combine(_folder, "log.key"), "interop.claimledger.example/log", NoteSignatureType.Ed25519))
        {
        }

        _ledger = new LedgerFixture { Transparency = new TransparencyOptions(Path.Combine(_folder, "log.key"), TimeSpan.FromHours(1), []) };
        await _ledger.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task an_independent_python_implementation_accepts_the_checkpoint_cosignature_and_proofs_and_refuses_edited_ones()
    {
        await _ledger.RecordTradeClaimAsync("trade-claim");
        await _ledger.SendAsync(new DisputeClaim.Command("trade-claim", "figure looks high — “customs” say ½ less", [], null, MeiLin));
        var older = await _ledger.SendAsync(new SignCheckpoint.Command());
        await _ledger.RecordTradeClaimAsync("other-claim");
        await _ledger.SendAsync(new RecordFinding.Command("trade-claim", "amount", "1.3 trillion", "customs data", [DeskNote()], null, MeiLin));
        var newer = await _ledger.SendAsync(new SignCheckpoint.Command(older.Checkpoint));
        using var witness = NoteSignerKey.Generate("interop.witness.example/w1", NoteSignatureType.CosignatureV1);
        var cosigned = newer.Note.WithSignatures([Cosignature.Sign(newer.Checkpoint, witness, DateTimeOffset.UtcNow)]);
        var inclusion = await _ledger.SendAsync(new ProveClaim.Query("trade-claim", 2, newer.Checkpoint.Size, newer.Note.Encoded));
        var consistency = await _ledger.SendAsync(new ProveConsistency.Query(older.Checkpoint.Size, newer.Checkpoint.Size));
        var consistencyFile = new ConsistencyProofFile(ConsistencyProofFile.CurrentFormat, older.Note.Encoded, newer.Note.Encoded, consistency.Proof);
        var logKey = SigningKeyFile.Load(Path.Combine(_folder, "log.key")).Verifier;

        var accepted = await CheckAsync(logKey, cosigned, inclusion, consistencyFile, witness.Verifier);
        var editedEntry = await CheckAsync(logKey, cosigned, inclusion with { Entry = inclusion.Entry with { ClaimId = "other-claim" } }, consistencyFile, witness.Verifier);
        var editedPayload = await CheckAsync(logKey, cosigned, inclusion with { Entry = inclusion.Entry with { Payload = inclusion.Entry.Payload.Replace("high", "low", StringComparison.Ordinal) } }, consistencyFile, witness.Verifier);
        var editedProof = await CheckAsync(logKey, cosigned, inclusion, consistencyFile with { Proof = [.. consistency.Proof.Skip(1)] }, witness.Verifier);
        var grownText = cosigned.Text.Replace("\n7\n", "\n8\n", StringComparison.Ordinal);
        var editedCheckpoint = await CheckAsync(logKey, new SignedNote(grownText, cosigned.Signatures), inclusion, consistencyFile, witness.Verifier);

        Assert.True(accepted.Exit == 0, accepted.Output);
        // The log opens with the fixture's three document registrations.
        Assert.Contains("inclusion: trade-claim version 2 is leaf 4 of 7", accepted.Output);
        Assert.Contains("consistency: size 5 is a prefix of size 7", accepted.Output);
        Assert.Contains("cosignature by interop.witness.example/w1 verifies", accepted.Output);
        Assert.Equal(1, editedEntry.Exit);
        Assert.Contains("do not hash to its entryHash", editedEntry.Output);
        Assert.Equal(1, editedPayload.Exit);
        Assert.Equal(1, editedProof.Exit);
        Assert.Contains("consistency proof does not verify", editedProof.Output);
        Assert.NotEqual(cosigned.Text, grownText);
        Assert.Equal(1, editedCheckpoint.Exit);
        Assert.Contains("does not verify", editedCheckpoint.Output);
    }

    private async Task<(int Exit, string Output)> CheckAsync(
        NoteVerifierKey logKey, SignedNote checkpoint, InclusionProof inclusion, ConsistencyProofFile consistency, NoteVerifierKey cosigner)
    {
        var files = FileNames.Select(f => Path.Combine(_folder, f)).ToArray();
        await File.WriteAllTextAsync(files[0], logKey.Encoded + "\n");
        await File.WriteAllTextAsync(files[1], checkpoint.Encoded);
        await File.WriteAllTextAsync(files[2], JsonSerializer.Serialize(inclusion, Json));
        await File.WriteAllTextAsync(files[3], JsonSerializer.Serialize(consistency, Json));
        await File.WriteAllTextAsync(files[4], cosigner.Encoded + "\n");

        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", "check_tlog.py"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("python3 is needed for the interop test: apt-get install -y python3 python3-cryptography (.ci/run does this)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await output + await error;
            Assert.False(text.Contains("ModuleNotFoundError", StringComparison.Ordinal), "the interop test needs Python's cryptography package: apt-get install -y python3-cryptography");
            return (process.ExitCode, text);
        }
    }
}
