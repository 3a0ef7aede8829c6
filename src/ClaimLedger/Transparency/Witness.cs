using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClaimLedger.Common;

namespace ClaimLedger.Transparency;

/// <summary>
/// One round of a witness (C2SP tlog-witness semantics, run as a client of the log): fetch the log's latest checkpoint,
/// check its signature, check that it extends the checkpoint accepted last time (a consistency proof from the log,
/// verified here against the two roots the witness holds), then cosign it, keep it as the new state, and hand the
/// cosignature to the log. Or refuse, saying why, and keep the old state.
/// </summary>
public sealed class Witness(HttpClient log, NoteVerifierKey logKey, NoteSignerKey witnessKey, string statePath, TimeProvider clock)
{
    public sealed record Outcome(bool Cosigned, string? Refusal, string Message, SignedNote? CosignedNote, bool HandedIn);

    public async Task<Outcome> RunAsync(CancellationToken ct)
    {
        var previous = ReadState();
        using var answer = await log.GetAsync(new Uri("transparency/checkpoint", UriKind.Relative), ct);
        if (!answer.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the log answered {(int)answer.StatusCode} {answer.ReasonPhrase} to GET transparency/checkpoint: {await answer.Content.ReadAsStringAsync(ct)}");
        }

        var latest = await answer.Content.ReadAsStringAsync(ct);
        SignedCheckpoint next;
        try
        {
            next = SignedCheckpoint.Open(latest, logKey);
        }
        catch (FormatException e)
        {
            return new(false, "bad-signature", $"the log's checkpoint is not validly signed by {logKey.Encoded}: {e.Message}", null, false);
        }

        if (previous is not null)
        {
            var (proof, failure) = next.Checkpoint.Size > previous.Size ? await FetchProofAsync(previous.Size, next.Checkpoint.Size, ct) : ([], null);
            var refusal = failure is null ? ProofCheck.Between(previous, next.Checkpoint, proof) : new ProofCheck.Refusal("inconsistent-proof", failure);
            if (refusal is not null)
            {
                return new(false, refusal.Kind, $"refused the checkpoint of {next.Checkpoint}: {refusal.Reason} The state still holds size {previous.Size:N0}.", null, false);
            }
        }

        var cosigned = next.Note.WithSignatures([Cosignature.Sign(next.Checkpoint, witnessKey, clock.GetUtcNow())]);
        WriteState(new SignedNote(next.Note.Text, next.Note.Signatures.Where(s => s.IsFrom(logKey)).ToList()));
        var handedIn = await HandInAsync(new SignedNote(cosigned.Text, cosigned.Signatures.Where(s => s.KeyName == witnessKey.Name).ToList()), ct);
        var grown = previous is null ? "the first checkpoint this witness has seen of the log, accepted with nothing to compare it to" : $"grew from {previous.Size:N0} to {next.Checkpoint.Size:N0} entries consistently";
        return new(true, null, $"cosigned {next.Checkpoint} ({grown}).", cosigned, handedIn);
    }

    /// <summary>The log's consistency proof between the two sizes, or why it gave none (which the witness treats as failing to prove it).</summary>
    private async Task<(IReadOnlyList<string> Proof, string? Failure)> FetchProofAsync(long oldSize, long newSize, CancellationToken ct)
    {
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"transparency/consistency?old={oldSize}&new={newSize}"), UriKind.Relative);
        using var response = await log.GetAsync(uri, ct);
        if (!response.IsSuccessStatusCode)
        {
            return ([], $"the log gave no consistency proof from size {oldSize:N0} to {newSize:N0} (HTTP {(int)response.StatusCode}).");
        }

        try
        {
            var proof = await response.Content.ReadFromJsonAsync<ConsistencyProof>(JsonSerializerOptions.Web, ct);
            return proof is { Proof: not null } && proof.OldSize == oldSize && proof.NewSize == newSize
                ? (proof.Proof, null)
                : ([], $"the log's answer is not a consistency proof from size {oldSize:N0} to {newSize:N0}.");
        }
        catch (JsonException)
        {
            return ([], "the log's consistency proof is not valid JSON.");
        }
    }

    /// <summary>Gives the log the cosignature, as a tlog-witness add-checkpoint response would; true when the log kept it.</summary>
    private async Task<bool> HandInAsync(SignedNote cosignature, CancellationToken ct)
    {
        using var content = new StringContent(cosignature.Encoded, Encoding.UTF8, "text/plain");
        using var response = await log.PostAsync(new Uri("transparency/cosignatures", UriKind.Relative), content, ct);
        return response.IsSuccessStatusCode;
    }

    private Checkpoint? ReadState()
    {
        if (!File.Exists(statePath))
        {
            return null;
        }

        try
        {
            return SignedCheckpoint.Open(File.ReadAllText(statePath), logKey).Checkpoint;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new RequestValidationException([new("state", $"{statePath} holds no checkpoint signed by {logKey.Name}: {e.Message}. Restore it, or point --state at a new file (which starts from no history).")]);
        }
    }

    private void WriteState(SignedNote accepted)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(statePath))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(statePath)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, accepted.Encoded);
        File.Move(temporary, statePath, overwrite: true);
    }
}
