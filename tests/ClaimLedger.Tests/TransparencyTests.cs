using ClaimLedger.Common;
using ClaimLedger.Ledger;
using ClaimLedger.Transparency;

namespace ClaimLedger.Tests;

public class SignedNoteTests
{
    // golang.org/x/mod/sumdb/note's published example: its signer key, verifier key, text and signed note.
    private const string GoSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string GoVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string GoNote = GoText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    // A checkpoint of a Certificate Transparency staging log as published, signed by the log (Ed25519) and cosigned by
    // witnesses; the remora.n621.de cosignature is a C2SP tlog-cosignature/v1.
    private const string RealCheckpoint = """
        arche2025h1.staging.ct.transparency.dev
        1432088532
        U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

        — arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
        — arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
        — transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
        — witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
        — remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
        — witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==

        """;

    private const string RealLogKey = "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
    private const string RealWitnessKey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

    [Fact]
    public void signing_the_go_reference_text_with_its_key_reproduces_the_go_note_byte_for_byte()
    {
        using var signer = NoteSignerKey.Parse(GoSignerKey);

        Assert.Equal(GoVerifierKey, signer.Verifier.Encoded);
        Assert.Equal(GoNote, SignedNote.Sign(GoText, signer).Encoded);
        Assert.Equal(GoSignerKey, signer.Encoded);
    }

    [Fact]
    public void the_go_reference_note_verifies_and_an_edited_one_does_not()
    {
        var key = NoteVerifierKey.Parse(GoVerifierKey);

        Assert.True(SignedNote.Parse(GoNote).IsSignedBy(key));
        Assert.False(SignedNote.Parse(GoNote.Replace("cryptography", "cryptographY", StringComparison.Ordinal)).IsSignedBy(key));
    }

    [Fact]
    public void a_published_checkpoint_verifies_under_its_log_key_and_its_witness_cosignature_under_the_witness_key()
    {
        var note = SignedNote.Parse(RealCheckpoint.Replace("\r\n", "\n", StringComparison.Ordinal));
        var checkpoint = SignedCheckpoint.Open(note.Encoded, NoteVerifierKey.Parse(RealLogKey)).Checkpoint;

        Assert.Equal(1432088532, checkpoint.Size);
        Assert.NotNull(Cosignature.VerifiedTime(note, NoteVerifierKey.Parse(RealWitnessKey)));
        var clobbered = SignedNote.Parse(note.Encoded.Replace("1432088532", "42", StringComparison.Ordinal));
        Assert.Null(Cosignature.VerifiedTime(clobbered, NoteVerifierKey.Parse(RealWitnessKey)));
        Assert.False(clobbered.IsSignedBy(NoteVerifierKey.Parse(RealLogKey)));
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+AhpwsqdAfMQ4TEHoMMW84SqogX7FZJqqvywxOIs1stdE1g")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3")]
    public void a_verifier_key_with_a_wrong_id_type_or_name_is_refused(string key) =>
        Assert.ThrowsAny<FormatException>(() => NoteVerifierKey.Parse(key));

    [Fact]
    public void a_cosignature_binds_the_checkpoint_and_its_time()
    {
        using var witness = NoteSignerKey.Generate("witness.example/w1", NoteSignatureType.CosignatureV1);
        var checkpoint = new Checkpoint("example.com/log", 5, new byte[32]);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var note = new SignedNote(checkpoint.Text, [Cosignature.Sign(checkpoint, witness, at)]);

        Assert.Equal(at, Cosignature.VerifiedTime(SignedNote.Parse(note.Encoded), witness.Verifier));
        Assert.Null(Cosignature.VerifiedTime(note with { Text = new Checkpoint("example.com/log", 6, new byte[32]).Text }, witness.Verifier));
        var timeChanged = note.Signatures[0].Signature.ToArray();
        timeChanged[7] ^= 1;
        Assert.Null(Cosignature.VerifiedTime(note with { Signatures = [note.Signatures[0] with { Signature = timeChanged }] }, witness.Verifier));
    }

    [Theory]
    [InlineData("example.com/log\n5\nAAAA\n\n\u2014 k AAAAAAAA\n")]
    [InlineData("example.com/log\n05\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("no blank line\n\u2014 k AAAAAAAA\n")]
    [InlineData("text\n\n- k AAAAAAAA\n")]
    [InlineData("te\u0001xt\n\n\u2014 k AAAAAAAA\n")]
    public void malformed_notes_and_checkpoints_are_refused(string text) =>
        Assert.ThrowsAny<FormatException>(() => Checkpoint.Parse(SignedNote.Parse(text).Text));
}

public class WitnessDecisionTests
{
    private static readonly byte[][] Leaves = Enumerable.Range(0, 12).Select(i => MerkleTree.LeafHash([(byte)i])).ToArray();

    private static Checkpoint At(int size, byte[][]? leaves = null) => new("example.com/log", size, MerkleTree.Root((leaves ?? Leaves)[..size]));

    private static string[] Proof(int oldSize, int newSize, byte[][]? leaves = null) =>
        MerkleTree.ConsistencyProof(leaves ?? Leaves, oldSize, newSize).Select(Convert.ToHexStringLower).ToArray();

    [Fact]
    public void an_honest_append_is_accepted() => Assert.Null(ProofCheck.Between(At(5), At(12), Proof(5, 12)));

    [Fact]
    public void a_shorter_log_is_a_rollback() => Assert.Equal("rollback", ProofCheck.Between(At(12), At(5), [])?.Kind);

    [Fact]
    public void a_rewritten_history_of_the_same_size_is_a_fork()
    {
        var rewritten = Leaves.ToArray();
        rewritten[2] = MerkleTree.LeafHash([0xee]);

        Assert.Equal("fork", ProofCheck.Between(At(12), At(12, rewritten), [])?.Kind);
    }

    [Fact]
    public void a_rewritten_history_that_grew_has_no_consistency_proof()
    {
        var rewritten = Leaves.ToArray();
        rewritten[2] = MerkleTree.LeafHash([0xee]);

        Assert.Equal("inconsistent-proof", ProofCheck.Between(At(5), At(12, rewritten), Proof(5, 12, rewritten))?.Kind);
        Assert.Equal("inconsistent-proof", ProofCheck.Between(At(5), At(12, rewritten), Proof(5, 12))?.Kind);
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SigningKeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("claimledger-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void a_key_file_is_readable_by_its_owner_only_and_never_overwritten()
    {
        var path = Path.Combine(_folder, "log.key");
        using var key = SigningKeyFile.Create(path, "example.com/log", NoteSignatureType.Ed25519);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key.Verifier.Encoded, SigningKeyFile.Load(path).Verifier.Encoded);
        Assert.Equal("signing-key-exists", Assert.Throws<ClaimRuleException>(() => SigningKeyFile.Create(path, "example.com/log", NoteSignatureType.Ed25519)).Rule);
        Assert.Equal(key.Verifier.Encoded, SigningKeyFile.Load(path).Verifier.Encoded);
    }

    [Fact]
    public void a_key_file_others_can_read_is_refused()
    {
        var path = Path.Combine(_folder, "exposed.key");
        using (SigningKeyFile.Create(path, "example.com/log", NoteSignatureType.Ed25519))
        {
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Equal("signing-key-exposed", Assert.Throws<ClaimRuleException>(() => SigningKeyFile.Load(path)).Rule);
    }

    [Fact]
    public void a_missing_key_file_says_how_to_create_one() =>
        Assert.Contains("claimledger audit keygen", Assert.Throws<ClaimRuleException>(() => SigningKeyFile.Load(Path.Combine(_folder, "none.key"))).Message);
}

public class InclusionProofCheckTests
{
    private static readonly NoteSignerKey LogKey = NoteSignerKey.Generate("example.com/log", NoteSignatureType.Ed25519);

    /// <summary>A three-entry ledger, the proof of its second entry, and the checkpoint the log signed over it.</summary>
    private static InclusionProof Proof()
    {
        var events = Enumerable.Range(1, 3).Select(i => new EventRow(Guid.NewGuid(), i == 2 ? "trade-2022" : $"claim-{i}", 1, "claim_recorded",
            new DateTimeOffset(2026, 11, 29, 12, 0, i, TimeSpan.Zero), $"{{\"statement\":\"claim {i}\",\"amount\":\"{i}\"}}", "Mei Lin",
            Headers: """{"imported": true, "import-step": "s1", "import-hash": "ab"}""", CorrelationId: $"run-{i}")).ToList();
        var entries = events.Select((e, i) => new EntryRow(i + 1, e.StreamId, e.Version, e.Id, EntryHash.Compute(e.Fields, EntryHash.Genesis, EntryHash.EncodingVersion), EntryHash.Genesis, EntryHash.EncodingVersion)).ToList();
        var leaves = entries.Select(e => MerkleTree.LeafHash(e.EntryHash)).ToArray();
        var checkpoint = new Checkpoint(LogKey.Name, 3, MerkleTree.Root(leaves));
        return InclusionProof.Build(entries[1], events[1], leaves, 1, SignedNote.Sign(checkpoint.Text, LogKey).Encoded, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void a_proof_carries_the_encoding_2_fields_in_the_form_they_were_hashed()
    {
        var entry = Proof().Entry;

        Assert.Equal((2, """{"import-hash":"ab","import-step":"s1","imported":true}""", "run-2"), (entry.Encoding, entry.Headers, entry.CorrelationId));
    }

    [Fact]
    public void a_proof_checked_against_the_log_key_is_proven()
    {
        var outcome = ProofCheck.Inclusion(Proof(), LogKey.Verifier, null, null);

        Assert.Equal(ProofCheck.ProofStatus.Proven, outcome.Status);
        Assert.Contains("claim trade-2022 version 1", outcome.Summary);
    }

    [Fact]
    public void a_proof_without_a_trusted_root_proves_nothing_about_the_log() =>
        Assert.Equal(ProofCheck.ProofStatus.Unanchored, ProofCheck.Inclusion(Proof(), null, null, null).Status);

    [Theory]
    [InlineData("claimId")]
    [InlineData("version")]
    [InlineData("payload")]
    [InlineData("actor")]
    [InlineData("timestamp")]
    [InlineData("headers")]
    [InlineData("correlationId")]
    [InlineData("encoding")]
    public void a_proof_whose_entry_was_edited_is_invalid_even_against_the_log_key(string field)
    {
        var proof = Proof();
        var edited = proof with
        {
            Entry = field switch
            {
                "claimId" => proof.Entry with { ClaimId = "other-claim" },
                "version" => proof.Entry with { Version = 99 },
                "payload" => proof.Entry with { Payload = proof.Entry.Payload.Replace("claim 2", "claim 9", StringComparison.Ordinal) },
                "actor" => proof.Entry with { Actor = "Someone Else" },
                "headers" => proof.Entry with { Headers = "" },
                "correlationId" => proof.Entry with { CorrelationId = "another-run" },
                "encoding" => proof.Entry with { Encoding = 1 },
                _ => proof.Entry with { Timestamp = "2020-01-01T00:00:00.000000Z" },
            },
        };

        Assert.NotEqual(proof.Entry, edited.Entry);
        Assert.Equal(ProofCheck.ProofStatus.Invalid, ProofCheck.Inclusion(edited, LogKey.Verifier, null, null).Status);
    }

    [Fact]
    public void a_proof_whose_entry_hash_and_path_were_forged_to_match_is_invalid_against_the_signed_checkpoint()
    {
        var proof = Proof();
        var forgedEntry = proof.Entry with { ClaimId = "other-claim" };
        var forgedHash = forgedEntry.Hash(out _)!;
        var forged = proof with { Entry = forgedEntry, EntryHash = Convert.ToHexStringLower(forgedHash), TreeSize = 1, LeafIndex = 0, AuditPath = [],
            RootHash = Convert.ToHexStringLower(MerkleTree.LeafHash(forgedHash)) };

        Assert.Null(forged.PathDefect());
        Assert.Equal(ProofCheck.ProofStatus.Unanchored, ProofCheck.Inclusion(forged, null, null, null).Status);
        Assert.Equal(ProofCheck.ProofStatus.Invalid, ProofCheck.Inclusion(forged, LogKey.Verifier, null, null).Status);
    }

    [Fact]
    public void a_format_1_proof_is_refused_because_it_cannot_say_which_entry_it_proves() =>
        Assert.Contains("format 1", ProofCheck.Inclusion(Proof() with { Format = "claimledger-inclusion-proof/1" }, LogKey.Verifier, null, null).Summary);
}

public class PublishedCheckpointCheckTests
{
    private static readonly List<EntryRow> Entries = Enumerable.Range(1, 7)
        .Select(i => new EntryRow(i, $"claim-{i}", 1, Guid.NewGuid(), System.Security.Cryptography.SHA256.HashData([(byte)i]), EntryHash.Genesis)).ToList();

    private static StoredCheckpoint At(int size, IReadOnlyList<EntryRow> entries) =>
        new("example.com/log", size, MerkleTree.Root(entries.Take(size).Select(e => MerkleTree.LeafHash(e.EntryHash)).ToList()), DateTimeOffset.UnixEpoch);

    [Fact]
    public void a_ledger_that_extends_every_published_checkpoint_has_no_break() =>
        Assert.Empty(PublishedCheckpointCheck.Breaks(Entries, [At(0, Entries), At(5, Entries), At(3, Entries), At(7, Entries)]));

    [Fact]
    public void a_rewritten_entry_breaks_every_checkpoint_that_covers_it_and_no_earlier_one()
    {
        var published = new[] { At(2, Entries), At(4, Entries), At(6, Entries) };
        var rewritten = Entries.Select(e => e.Position == 3 ? e with { EntryHash = new byte[32] } : e).ToList();

        var breaks = PublishedCheckpointCheck.Breaks(rewritten, published).ToList();

        Assert.Equal([BreakKinds.HistoryRewritten, BreakKinds.HistoryRewritten], breaks.Select(b => b.Kind));
        Assert.Contains("checkpoint of size 4", breaks[0].Detail);
        Assert.Contains("checkpoint of size 6", breaks[1].Detail);
    }

    [Fact]
    public void a_ledger_shorter_than_a_published_checkpoint_is_truncated()
    {
        var truncated = PublishedCheckpointCheck.Breaks(Entries.Take(5).ToList(), [At(3, Entries), At(7, Entries)]);

        var only = Assert.Single(truncated);
        Assert.Equal(BreakKinds.TailTruncated, only.Kind);
        Assert.Contains("fewer than the 7 of the checkpoint of size 7", only.Detail);
    }

    [Fact]
    public void the_streaming_pass_agrees_and_says_when_the_tree_never_reached_a_checkpoint()
    {
        var pass = new PublishedCheckpointCheck.Pass([At(2, Entries), At(4, Entries)]);
        var tree = new MerkleTree.Builder();
        var held = new List<bool> { pass.Holds(tree) };
        foreach (var entry in Entries.Take(3))
        {
            tree.Add(MerkleTree.LeafHash(entry.EntryHash));
            held.Add(pass.Holds(tree));
        }

        Assert.All(held, Assert.True);
        Assert.False(pass.AllReached);
        tree.Add(new byte[32]);
        Assert.False(pass.Holds(tree));
    }
}
