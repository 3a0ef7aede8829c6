using ClaimLedger.Api;
using ClaimLedger.Claims;
using ClaimLedger.Ledger;
using ClaimLedger.Seeds;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Writers commit without a global lock and the sequencer numbers what has committed: positions stay gap-free, each
/// committed entry gets exactly one, each claim's entries keep their order, and a log once seen only ever grows.
/// </summary>
public class SequencerTests : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();

    /// <summary>The fixture's three document registrations, sequenced before each test begins.</summary>
    private const int Registrations = 3;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        await Sequencer.FlushAsync();
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    private LedgerSequencer Sequencer => new(_ledger.Store);

    [Fact]
    public async Task writers_racing_two_sequencers_and_digest_readers_leave_a_gap_free_log_that_only_ever_grew()
    {
        var claims = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            claims.Add(await _ledger.RecordTradeClaimAsync($"race-{i}"));
        }

        using var writersDone = new CancellationTokenSource();
        var seen = new List<List<EntryRow>>();
        var digests = new List<Digest>();
        // Tiny batches, so the writers' commits fall between many of them; two sequencers take turns on the same queue.
        async Task SequenceAsync()
        {
            while (!writersDone.IsCancellationRequested)
            {
                await Sequencer.SequenceBatchAsync(3);
            }
        }

        async Task WatchAsync()
        {
            while (!writersDone.IsCancellationRequested)
            {
                seen.Add(await new LedgerRows(_ledger.Options).EntriesAsync(default));
                digests.Add(await _ledger.SendAsync(new GetDigest.Query()));
                await Task.Delay(5);
            }
        }

        var racers = new[] { Task.Run(SequenceAsync), Task.Run(SequenceAsync), Task.Run(WatchAsync) };
        // 8 writers: each has two claims of its own and shares the last four with every other writer.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var n = 0; n < 15; n++)
            {
                var claim = n % 3 == 2 ? claims[8 + (n % 4)] : claims[(w + (n % 2)) % 8];
                await _ledger.SendAsync(new DisputeClaim.Command(claim, $"writer {w} note {n}", [], null, MeiLin));
            }
        })));
        await writersDone.CancelAsync();
        await Task.WhenAll(racers);
        await Sequencer.FlushAsync();

        var entries = await new LedgerRows(_ledger.Options).EntriesAsync(default);
        var events = (await new LedgerRows(_ledger.Options).EventsAsync(default)).Where(e => e.StreamId.StartsWith("race-", StringComparison.Ordinal)).ToList();
        Assert.Equal(12 + (8 * 15), events.Count);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(p => (long)p), entries.Select(e => e.Position));
        Assert.Equal(events.Select(e => e.Id).Order(), entries.Skip(Registrations).Select(e => e.EventId).Order());
        Assert.Equal(0, (await Sequencer.StatusAsync()).Unsequenced);
        Assert.All(entries.GroupBy(e => e.StreamId), claim =>
            Assert.Equal(Enumerable.Range(1, claim.Count()).Select(v => (long)v), claim.Select(e => e.Version)));
        Assert.True(seen.Count > 3, $"the watcher looked only {seen.Count} times");
        Assert.All(seen, earlier => Assert.Equal(earlier.Select(Key), entries.Take(earlier.Count).Select(Key)));
        Assert.Contains(seen, earlier => earlier.Count > 0 && earlier.Count < entries.Count);
        foreach (var digest in digests)
        {
            var report = await _ledger.SendAsync(new VerifyLedger.Query(digest));
            Assert.True(report.Intact, $"against the digest of size {digest.TreeSize}: {string.Join("; ", report.Breaks)}");
        }
    }

    [Fact]
    public async Task entries_committed_before_a_crash_are_sequenced_on_restart_once_each_even_after_a_sequencer_died_mid_batch()
    {
        for (var i = 0; i < 5; i++)
        {
            var claim = await _ledger.RecordTradeClaimAsync($"crash-{i}");
            await _ledger.SendAsync(new DisputeClaim.Command(claim, "committed, then the process died", [], null, MeiLin));
        }

        // The server died after these commits and before its sequencer ran: they wait in the queue, in no tree yet.
        var before = await Sequencer.StatusAsync();
        Assert.Equal((Registrations, 10L), (before.Sequenced, before.Unsequenced));

        // A sequencer killed in the middle of a batch: its transaction dies with it, and nothing it numbered remains.
        var cluster = await TestCluster.GetAsync();
        await using (var dying = new NpgsqlConnection(cluster.ConnectionString))
        {
            await dying.OpenAsync();
            await using var transaction = await dying.BeginTransactionAsync();
            await using (var batch = new NpgsqlCommand($"select {_ledger.Schema}.{SequencerSchema.SequenceFunction}(4)", dying, transaction))
            {
                Assert.Equal(4L, await batch.ExecuteScalarAsync());
            }

            await using var pid = new NpgsqlCommand("select pg_backend_pid()", dying, transaction);
            var backend = (int)(await pid.ExecuteScalarAsync())!;
            await using var killer = new NpgsqlConnection(cluster.ConnectionString);
            await killer.OpenAsync();
            await using var kill = new NpgsqlCommand($"select pg_terminate_backend({backend})", killer);
            await kill.ExecuteScalarAsync();
        }

        Assert.Equal(before, await Sequencer.StatusAsync() with { OldestWaiting = before.OldestWaiting });

        // The restarted server's sequencer picks them up.
        using var service = new LedgerSequencerService(Sequencer, NullLogger<LedgerSequencerService>.Instance);
        await service.StartAsync(default);
        for (var wait = 0; wait < 200 && (await Sequencer.StatusAsync()).Unsequenced > 0; wait++)
        {
            await Task.Delay(25);
        }

        await service.StopAsync(default);
        var entries = await new LedgerRows(_ledger.Options).EntriesAsync(default);
        var events = await new LedgerRows(_ledger.Options).EventsAsync(default);
        Assert.Equal(Enumerable.Range(1, Registrations + 10).Select(p => (long)p), entries.Select(e => e.Position));
        Assert.Equal(events.Select(e => e.Id).Order(), entries.Select(e => e.EventId).Order());
        var report = await _ledger.SendAsync(new VerifyLedger.Query());
        Assert.True(report.Intact, string.Join("; ", report.Breaks));
        Assert.Equal((Registrations + 10L, 0L), (report.Entries, report.Unsequenced));
    }

    [Fact]
    public async Task a_writer_commits_while_an_import_is_open_and_is_sequenced_before_the_import_that_began_first()
    {
        var cluster = await TestCluster.GetAsync();
        // Holding back inserts of documents holds the import open after its entries are queued: it registers them last.
        await using var holder = new NpgsqlConnection(cluster.ConnectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        await using (var block = new NpgsqlCommand($"lock table {_ledger.Schema}.mt_doc_sourcedocument in share row exclusive mode", holder, held))
        {
            await block.ExecuteNonQueryAsync();
        }

        var import = Task.Run(() => _ledger.SendAsync(new ImportSeeds.Command(SeedImportTests.Seeds)));
        for (var wait = 0; wait < 400 && !await ImportQueuedAsync(cluster.ConnectionString); wait++)
        {
            await Task.Delay(50);
        }

        Assert.True(await ImportQueuedAsync(cluster.ConnectionString), "the import never got as far as queuing its entries");
        var writer = _ledger.RecordTradeClaimAsync("during-the-import");
        Assert.Same(writer, await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(20))));
        await Sequencer.FlushAsync();
        var whileOpen = await new LedgerRows(_ledger.Options).EntriesAsync(default);
        Assert.False(import.IsCompleted);

        await held.CommitAsync();
        await import;
        await Sequencer.FlushAsync();
        var entries = await new LedgerRows(_ledger.Options).EntriesAsync(default);

        // The writer's entry took a later ticket than the import's but committed first, so it has the first position.
        Assert.Equal(["during-the-import"], whileOpen.Skip(Registrations).Select(e => e.StreamId));
        Assert.Equal(Key(whileOpen[Registrations]), Key(entries[Registrations]));
        Assert.True(entries.Count > 100);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(p => (long)p), entries.Select(e => e.Position));
        var report = await _ledger.SendAsync(new VerifyLedger.Query());
        Assert.True(report.Intact, string.Join("; ", report.Breaks));
    }

    [Fact]
    public async Task verification_checks_the_unsequenced_tail_and_reports_it()
    {
        var claim = await _ledger.RecordTradeClaimAsync("tail-claim");
        await Sequencer.FlushAsync();
        await _ledger.SendAsync(new DisputeClaim.Command(claim, "written after the flush", [], null, MeiLin));
        var rows = new LedgerRows(_ledger.Options);

        await using (var snapshot = await rows.SnapshotAsync(default))
        {
            var scan = await LedgerScan.TryConfirmIntactAsync(snapshot.Rows, null, DateTimeOffset.UtcNow, default);
            Assert.NotNull(scan);
            Assert.Equal((Registrations + 1L, 1L, Registrations + 2L), (scan.Entries, scan.Unsequenced, scan.Events));
        }

        // A forger edits the queued entry before the sequencer gets to it: the claim's chain no longer holds.
        await Forger.SqlAsync(_ledger, "update {s}.cl_ledger_queue set entry_hash = sha256('forged') where stream_id = 'tail-claim'", bypassLedgerGuard: true, beforeSequencing: true);
        await using (var snapshot = await rows.SnapshotAsync(default))
        {
            Assert.Null(await LedgerScan.TryConfirmIntactAsync(snapshot.Rows, null, DateTimeOffset.UtcNow, default));
        }

        var report = await _ledger.SendAsync(new VerifyLedger.Query());
        Assert.Contains(report.Breaks, b => b.ClaimId == claim && b.Version == 2 && b.Kind is BreakKinds.LedgerRowEdited or BreakKinds.PayloadEdited);
    }

    [Fact]
    public async Task a_queued_entry_deleted_behind_the_sequencers_back_is_pinpointed()
    {
        var claim = await _ledger.RecordTradeClaimAsync("vanishing-claim");
        await _ledger.SendAsync(new DisputeClaim.Command(claim, "about to vanish", [], null, MeiLin));

        await Forger.SqlAsync(_ledger, "delete from {s}.cl_ledger_queue where stream_id = 'vanishing-claim' and version = 2", beforeSequencing: true);

        var report = await _ledger.SendAsync(new VerifyLedger.Query());
        Assert.Contains(report.Breaks, b => b.ClaimId == claim && b.Version == 2 && b.Kind == BreakKinds.EventNotInLedger);
        Assert.Equal(Registrations + 1, report.Entries);
    }

    [Fact]
    public async Task the_queue_refuses_updates_and_truncation()
    {
        await _ledger.RecordTradeClaimAsync("guarded-claim");

        var update = await Assert.ThrowsAsync<PostgresException>(() => Forger.SqlAsync(_ledger, "update {s}.cl_ledger_queue set version = 9", beforeSequencing: true));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => Forger.SqlAsync(_ledger, "truncate {s}.cl_ledger_queue", beforeSequencing: true));

        Assert.All([update, truncate], e => Assert.Contains("append-only", e.MessageText));
        Assert.True((await _ledger.SendAsync(new VerifyLedger.Query())).Intact);
    }

    /// <summary>An entry as a checker compares it: where it sits, which event, and its hash (arrays compare by reference).</summary>
    private static (long, Guid, string, string) Key(EntryRow entry) => (entry.Position, entry.EventId, Convert.ToHexString(entry.EntryHash), Convert.ToHexString(entry.PreviousHash));

    private async Task<bool> ImportQueuedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Rows of an open transaction are invisible; the ticket sequence shows how far the import got.
        await using var command = new NpgsqlCommand($"select last_value > 100 from {_ledger.Schema}.{SequencerSchema.TicketSequence}", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
