using ClaimLedger.Claims;
using ClaimLedger.Ledger;
using Npgsql;
using static ClaimLedger.IntegrationTests.LedgerFixture;

namespace ClaimLedger.IntegrationTests;

/// <summary>
/// Each test tampers with a fresh ledger by direct SQL, as someone with database access could, and checks that
/// verification finds it and says where. Each gets its own schema, since tampering is not undone.
/// </summary>
public class TamperEvidenceTests : IAsyncLifetime
{
    private readonly LedgerFixture _ledger = new();
    private string _claim = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        _claim = await _ledger.RecordTradeClaimAsync("tampered-claim");
        _other = await _ledger.RecordTradeClaimAsync("bystander-claim");
        await _ledger.SendAsync(new DisputeClaim.Command(_claim, "figure looks high", [], null, MeiLin));
        await _ledger.SendAsync(new RecordFinding.Command(_claim, "amount", "1.3 trillion", "customs data", [DeskNote()], null, MeiLin));
        await _ledger.SendAsync(new IssueVerdict.Command(_claim, Rating.MostlyTrue, "close to customs data", [DeskNote()], null, MeiLin));
        await _ledger.SendAsync(new DisputeClaim.Command(_other, "unrelated", [], null, MeiLin));
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    private Task Sql(string sql, bool bypassLedgerGuard = false) => Forger.SqlAsync(_ledger, sql, bypassLedgerGuard);

    private Task<VerifyLedger.Report> VerifyAsync(Digest? kept = null) => _ledger.SendAsync(new VerifyLedger.Query(kept));

    private static void AssertOnlyBreak(VerifyLedger.Report report, string claim, long? version, string kind)
    {
        Assert.False(report.Intact);
        Assert.Contains(report.Breaks, b => b.ClaimId == claim && b.Version == version && b.Kind == kind);
        Assert.All(report.Breaks, b => Assert.Equal(claim, b.ClaimId));
    }

    [Fact]
    public async Task an_untouched_ledger_verifies_clean()
    {
        var report = await VerifyAsync(await _ledger.SendAsync(new GetDigest.Query()));

        Assert.True(report.Intact, string.Join("; ", report.Breaks));
        // Six claim events and the registrations of the fixture's three documents.
        Assert.Equal(9, report.Entries);
        Assert.Equal(report.Entries, report.Events);
    }

    [Fact]
    public async Task the_streaming_scan_confirms_an_untouched_ledger_and_never_a_touched_one()
    {
        var rows = new LedgerRows(_ledger.Options);
        var digest = await _ledger.SendAsync(new GetDigest.Query());

        var untouched = await LedgerScan.TryConfirmIntactAsync(rows, digest, DateTimeOffset.UtcNow, CancellationToken.None);
        var otherDigest = await LedgerScan.TryConfirmIntactAsync(rows, digest with { RootHash = new string('0', 64) }, DateTimeOffset.UtcNow, CancellationToken.None);
        await Sql("update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2");
        var edited = await LedgerScan.TryConfirmIntactAsync(rows, null, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.NotNull(untouched);
        Assert.Equal((9L, 9L, 2, digest.RootHash), (untouched.Entries, untouched.Events, untouched.Claims, untouched.Current.RootHash));
        Assert.Null(otherDigest);
        Assert.Null(edited);
    }

    [Fact]
    public async Task an_edited_payload_is_pinpointed()
    {
        await Sql("update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2");

        AssertOnlyBreak(await VerifyAsync(), _claim, 2, BreakKinds.PayloadEdited);
    }

    [Fact]
    public async Task an_edited_actor_or_time_is_pinpointed_as_well()
    {
        await Sql("update {s}.mt_events set user_name = 'Someone Else' where stream_id = 'tampered-claim' and version = 3");
        await Sql("update {s}.mt_events set timestamp = timestamp - interval '1 day' where stream_id = 'tampered-claim' and version = 4");

        var report = await VerifyAsync();

        Assert.Equal([(3L, BreakKinds.PayloadEdited), (4L, BreakKinds.PayloadEdited)], report.Breaks.Select(b => (b.Version!.Value, b.Kind)));
    }

    [Fact]
    public async Task a_deleted_event_is_pinpointed()
    {
        await Sql("delete from {s}.mt_events where stream_id = 'tampered-claim' and version = 2");

        AssertOnlyBreak(await VerifyAsync(), _claim, 2, BreakKinds.EventDeleted);
    }

    [Fact]
    public async Task reordered_events_are_pinpointed()
    {
        await Sql("update {s}.mt_events set version = -1 where stream_id = 'tampered-claim' and version = 2");
        await Sql("update {s}.mt_events set version = 2 where stream_id = 'tampered-claim' and version = 3");
        await Sql("update {s}.mt_events set version = 3 where stream_id = 'tampered-claim' and version = -1");

        var report = await VerifyAsync();

        Assert.Equal([(2L, BreakKinds.EventsReordered), (3L, BreakKinds.EventsReordered)], report.Breaks.Select(b => (b.Version!.Value, b.Kind)));
    }

    [Fact]
    public async Task a_truncated_tail_is_pinpointed_by_the_stream_version_and_by_a_kept_digest()
    {
        var kept = await _ledger.SendAsync(new GetDigest.Query());
        await Sql("delete from {s}.mt_events where stream_id = 'bystander-claim' and version = 2; " +
                  "delete from {s}.cl_ledger_entries where stream_id = 'bystander-claim' and version = 2", bypassLedgerGuard: true);

        var report = await VerifyAsync();
        AssertOnlyBreak(report, _other, 2, BreakKinds.TailTruncated);

        // Someone who also lowers the stream's version and rebuilds the read models leaves every derived table consistent.
        await Sql("update {s}.mt_streams set version = 1 where id = 'bystander-claim'");
        await _ledger.SendAsync(new Operations.RebuildReadModels.Command());
        var hidden = await VerifyAsync();
        var caught = await VerifyAsync(kept);
        Assert.True(hidden.Intact, "with the stream's version fixed too, only a kept digest can tell");
        var cut = Assert.Single(caught.Breaks);
        Assert.Equal((_other, 2L, BreakKinds.TailTruncated), (cut.ClaimId, cut.Version, cut.Kind));
    }

    public static TheoryData<string, string, long?, string> WhatReadersSeeBeyondTheHashes => new()
    {
        {
            "a verdict forged in the read model that claims show, claims list --verdict and ClaimReview publish",
            "update {s}.mt_doc_claim set data = jsonb_set(data, '{verdict,rating}', '\"True\"'), verdictrating = 'True' where id = 'tampered-claim'",
            4, BreakKinds.ReadModelEdited
        },
        {
            "a statement forged in the read model",
            "update {s}.mt_doc_claim set data = jsonb_set(data, '{statement}', '\"Trade collapsed\"') where id = 'tampered-claim'",
            4, BreakKinds.ReadModelEdited
        },
        {
            "only the indexed verdict column changed, so the list filter finds the claim under another rating",
            "update {s}.mt_doc_claim set verdictrating = 'False' where id = 'tampered-claim'",
            4, BreakKinds.ReadModelEdited
        },
        {
            "the stream's version lowered, which sends every later write to a version that is taken",
            "update {s}.mt_streams set version = 2 where id = 'tampered-claim'",
            4, BreakKinds.StreamEdited
        },
        {
            "an event marked archived, which hides it from the claim's history",
            "update {s}.mt_events set is_archived = true where stream_id = 'tampered-claim' and version = 2",
            2, BreakKinds.EventHidden
        },
        {
            "a span offset rewritten with a decimal point (12 as 12.0), which hashes alike in canonical JSON but no longer reads as a number of characters",
            "update {s}.mt_events set data = jsonb_set(data, '{appearance,start}', ((data #>> '{appearance,start}') || '.0')::jsonb) where stream_id = 'tampered-claim' and version = 1",
            1, BreakKinds.EventUnreadable
        },
        {
            "a binary payload set beside the JSON one, which the store then tries to read instead",
            "update {s}.mt_events set bdata = '\\x00' where stream_id = 'tampered-claim' and version = 2",
            2, BreakKinds.EventUnreadable
        },
        {
            "the .NET type an event is read as, which decides how its payload is understood",
            "update {s}.mt_events set mt_dotnet_type = 'ClaimLedger.Claims.ClaimRetracted, ClaimLedger' where stream_id = 'tampered-claim' and version = 2",
            2, BreakKinds.EventUnreadable
        },
    };

    [Theory]
    [MemberData(nameof(WhatReadersSeeBeyondTheHashes))]
    public async Task what_readers_see_beyond_the_hashed_events_is_derived_again_and_an_edit_is_pinpointed(string what, string tampering, long? version, string kind)
    {
        await Sql(tampering);

        var report = await VerifyAsync(await _ledger.SendAsync(new GetDigest.Query()));

        Assert.False(report.Intact, what);
        AssertOnlyBreak(report, _claim, version, kind);
        Assert.DoesNotContain(report.Breaks, b => b.Kind is BreakKinds.PayloadEdited or BreakKinds.HistoryRewritten);
    }

    public static TheoryData<string, string, long> HeaderEdits => new()
    {
        { "the import mark removed, so history no longer says (imported)", "update {s}.mt_events set headers = null where stream_id = 'tampered-claim' and version = 5", 5 },
        { "the import mark's seed step rewritten, which a re-import uses to recognise the step", "update {s}.mt_events set headers = jsonb_set(headers, '{import-step}', '\"other-step\"') where stream_id = 'tampered-claim' and version = 5", 5 },
        { "an import mark added, which lets a back-dated event pass as imported", "update {s}.mt_events set headers = '{\"imported\": true}' where stream_id = 'tampered-claim' and version = 2", 2 },
        { "the correlation id history shows changed", "update {s}.mt_events set correlation_id = 'forged-request' where stream_id = 'tampered-claim' and version = 3", 3 },
        { "the correlation id cleared", "update {s}.mt_events set correlation_id = null where stream_id = 'tampered-claim' and version = 5", 5 },
    };

    [Theory]
    [MemberData(nameof(HeaderEdits))]
    public async Task an_edit_of_the_headers_or_correlation_id_a_reader_sees_is_pinpointed(string what, string tampering, long version)
    {
        await _ledger.SendAsync(new DisputeClaim.Command(_claim, "an imported step", [], null,
            MeiLin with { CorrelationId = "seed-run-1", Import = new Common.ImportMark(DateTimeOffset.UtcNow.AddDays(-2), "step-1", "abcd") }));
        Assert.True((await VerifyAsync()).Intact, "an imported event verifies as written");

        await Sql(tampering);

        var report = await VerifyAsync();
        Assert.False(report.Intact, what);
        AssertOnlyBreak(report, _claim, version, BreakKinds.PayloadEdited);
    }

    [Fact]
    public async Task the_event_and_stream_columns_left_outside_verification_change_nothing_a_reader_is_served()
    {
        var history = await _ledger.SendAsync(new ClaimHistory.Query(_claim));
        var claim = await _ledger.SendAsync(new GetClaim.Query(_claim));

        await Sql("update {s}.mt_events set tenant_id = 'another-tenant', causation_id = 'forged' where stream_id = 'tampered-claim' and version = 2; " +
                  "update {s}.mt_streams set tenant_id = 'another-tenant', type = 'forged', timestamp = timestamp - interval '9 days', created = created - interval '9 days', compacted_version = 3 where id = 'tampered-claim'");

        var after = await _ledger.SendAsync(new ClaimHistory.Query(_claim));
        Assert.Equal(history.Select(e => (e.Version, e.Type, e.Timestamp, e.Actor, e.CorrelationId, e.Imported, e.Payload.GetRawText())),
            after.Select(e => (e.Version, e.Type, e.Timestamp, e.Actor, e.CorrelationId, e.Imported, e.Payload.GetRawText())));
        Assert.Equal(ClaimFields.Of(claim), ClaimFields.Of(await _ledger.SendAsync(new GetClaim.Query(_claim))));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task a_claim_inserted_into_the_streams_and_read_models_without_events_is_found()
    {
        await Sql("insert into {s}.mt_streams (id, type, version) values ('phantom-claim', 'claim', 3); " +
                  "insert into {s}.mt_doc_claim (id, data, mt_dotnet_type, mt_version, status, verdictrating) " +
                  "select 'phantom-claim', jsonb_set(data, '{id}', '\"phantom-claim\"'), mt_dotnet_type, 3, status, verdictrating from {s}.mt_doc_claim where id = 'tampered-claim'");

        var report = await VerifyAsync();

        Assert.Equal([BreakKinds.ClaimWithoutHistory, BreakKinds.ClaimWithoutHistory], report.Breaks.Select(b => b.Kind));
        Assert.All(report.Breaks, b => Assert.Equal("phantom-claim", b.ClaimId));
    }

    [Fact]
    public async Task a_document_text_replaced_with_its_hash_left_stale_is_found()
    {
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(data, '{text}', to_jsonb(replace(data ->> 'text', '2022', '2021'))) where id = 'desk-note'");

        var report = await VerifyAsync();

        Assert.Contains(report.Breaks, b => b.ClaimId == "document:desk-note" && b.Kind == BreakKinds.DocumentEdited);
        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 3 && b.Kind == BreakKinds.DocumentEdited);
        Assert.All(report.Breaks, b => Assert.Equal(BreakKinds.DocumentEdited, b.Kind));
    }

    [Fact]
    public async Task a_document_text_rewritten_with_its_hash_recomputed_is_found_in_the_document_and_where_the_ledger_cites_it()
    {
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(jsonb_set(data, '{text}', to_jsonb(replace(data ->> 'text', '1.28', '9.99'))), " +
                  "'{sha256}', to_jsonb(encode(sha256(convert_to(replace(data ->> 'text', '1.28', '9.99'), 'UTF8')), 'hex'))) where id = 'cnn-2023'");

        var report = await VerifyAsync();

        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 1 && b.Kind == BreakKinds.DocumentEdited);
        Assert.Contains(report.Breaks, b => b.ClaimId == "document:cnn-2023" && b.Kind == BreakKinds.DocumentEdited && b.Detail.Contains("sha256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_publisher_changed_on_a_cited_document_is_found()
    {
        await Sql("update {s}.mt_doc_sourcedocument set data = jsonb_set(data, '{publisher}', '\"Reuters\"') where id = 'desk-note'");

        var report = await VerifyAsync();

        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 3 && b.Kind == BreakKinds.DocumentEdited && b.Detail.Contains("Reuters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_event_appended_after_a_kept_digest_but_dated_before_it_is_flagged_unless_imported()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var ledger = new LedgerFixture { Clock = clock };
        await ledger.InitializeAsync();
        try
        {
            var claim = await ledger.RecordTradeClaimAsync("dated-claim");
            var kept = await ledger.SendAsync(new GetDigest.Query());
            clock.Now = kept.ComputedAt.AddDays(-3);
            await ledger.SendAsync(new DisputeClaim.Command(claim, "slipped in with an old date", [], null, MeiLin));
            await ledger.SendAsync(new DisputeClaim.Command(claim, "an imported step may carry its recorded time", [], null,
                MeiLin with { Import = new Common.ImportMark(kept.ComputedAt.AddDays(-2), "s1", "0000") }));

            Assert.True((await ledger.SendAsync(new VerifyLedger.Query())).Intact, "without a kept digest there is nothing to be late for");
            var report = await ledger.SendAsync(new VerifyLedger.Query(kept));
            var flagged = Assert.Single(report.Breaks);
            Assert.Equal((claim, 2L, BreakKinds.BackDated), (flagged.ClaimId, flagged.Version, flagged.Kind));
        }
        finally
        {
            await ledger.DisposeAsync();
        }
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task a_payload_stripped_of_a_field_is_reported_and_verification_goes_on_to_the_other_claims()
    {
        await Sql("update {s}.mt_events set data = data - 'appearance' where stream_id = 'tampered-claim' and version = 1");
        await Sql("update {s}.mt_doc_claim set verdictrating = 'False' where id = 'bystander-claim'");

        var report = await VerifyAsync();

        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 1 && b.Kind == BreakKinds.EventUnreadable);
        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 1 && b.Kind == BreakKinds.PayloadEdited);
        Assert.Contains(report.Breaks, b => b.ClaimId == _other && b.Kind == BreakKinds.ReadModelEdited);
    }

    [Fact]
    public async Task a_deleted_read_model_is_found()
    {
        await Sql("delete from {s}.mt_doc_claim where id = 'bystander-claim'");

        AssertOnlyBreak(await VerifyAsync(), _other, null, BreakKinds.ReadModelEdited);
    }

    [Fact]
    public async Task an_edited_ledger_row_is_pinpointed()
    {
        await Sql("update {s}.cl_ledger_entries set entry_hash = sha256('forged') where stream_id = 'tampered-claim' and version = 2", bypassLedgerGuard: true);

        AssertOnlyBreak(await VerifyAsync(), _claim, 2, BreakKinds.LedgerRowEdited);
    }

    [Fact]
    public async Task an_edited_link_to_the_previous_entry_is_named_as_that_and_not_as_an_edited_payload()
    {
        await Sql("update {s}.cl_ledger_entries set prev_hash = sha256('forged') where stream_id = 'tampered-claim' and version = 3", bypassLedgerGuard: true);

        var report = await VerifyAsync();

        AssertOnlyBreak(report, _claim, 3, BreakKinds.LedgerRowEdited);
        Assert.DoesNotContain(report.Breaks, b => b.Kind == BreakKinds.PayloadEdited);
    }

    [Fact]
    public async Task a_deleted_ledger_row_is_pinpointed()
    {
        await Sql("delete from {s}.cl_ledger_entries where stream_id = 'tampered-claim' and version = 3", bypassLedgerGuard: true);

        var report = await VerifyAsync();

        Assert.Contains(report.Breaks, b => b.ClaimId == _claim && b.Version == 3 && b.Kind == BreakKinds.LedgerRowDeleted);
    }

    [Fact]
    public async Task an_event_written_behind_the_ledgers_back_is_pinpointed()
    {
        await Sql("insert into {s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name) " +
                  "select nextval('{s}.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, now(), tenant_id, mt_dotnet_type, 'intruder' " +
                  "from {s}.mt_events where stream_id = 'tampered-claim' and version = 4");

        AssertOnlyBreak(await VerifyAsync(), _claim, 5, BreakKinds.EventNotInLedger);
    }

    [Fact]
    public async Task a_consistent_rewrite_passes_the_chain_check_but_fails_against_a_digest_kept_earlier()
    {
        var kept = await _ledger.SendAsync(new GetDigest.Query());
        await Sql("update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2");
        await RehashChainAsync(_claim);

        var chainOnly = await VerifyAsync();
        var againstDigest = await VerifyAsync(kept);

        Assert.True(chainOnly.Intact, string.Join("; ", chainOnly.Breaks));
        var rewritten = Assert.Single(againstDigest.Breaks);
        Assert.Equal((_claim, 2L, BreakKinds.HistoryRewritten), (rewritten.ClaimId, rewritten.Version, rewritten.Kind));
    }

    /// <summary>How a tampering is done beyond its SQL: the claim whose chain is recomputed, and whether read models are rebuilt after.</summary>
    public enum Cover { None, Rehash, LowerStreamAndRebuild }

    public static TheoryData<string, string, Cover, string, string> EveryTampering => new()
    {
        {
            "an event deleted", "delete from {s}.mt_events where stream_id = 'tampered-claim' and version = 2", Cover.None,
            "tampered-claim 2 event-deleted; tampered-claim 4 read-model-edited", "same"
        },
        {
            "an event and its ledger row deleted", "delete from {s}.mt_events where stream_id = 'tampered-claim' and version = 2; delete from {s}.cl_ledger_entries where stream_id = 'tampered-claim' and version = 2", Cover.None,
            "tampered-claim 2 event-deleted; tampered-claim 4 read-model-edited", "same"
        },
        {
            "a ledger row deleted", "delete from {s}.cl_ledger_entries where stream_id = 'tampered-claim' and version = 3", Cover.None,
            "tampered-claim 3 ledger-row-deleted", "same"
        },
        {
            "the ledger row of another claim's first entry deleted, the gap followed by this claim's entry", "delete from {s}.cl_ledger_entries where stream_id = 'bystander-claim' and version = 1", Cover.None,
            "bystander-claim 1 ledger-row-deleted", "same"
        },
        {
            "a claim's last event and entry cut", "delete from {s}.mt_events where stream_id = 'bystander-claim' and version = 2; delete from {s}.cl_ledger_entries where stream_id = 'bystander-claim' and version = 2", Cover.None,
            "bystander-claim 1 read-model-edited; bystander-claim 1 stream-edited; bystander-claim 2 tail-truncated", "same"
        },
        {
            "a claim's last event and entry cut, at the end of the log, its stream lowered and read models rebuilt",
            "delete from {s}.mt_events where stream_id = 'bystander-claim' and version = 2; delete from {s}.cl_ledger_entries where stream_id = 'bystander-claim' and version = 2; update {s}.mt_streams set version = 1 where id = 'bystander-claim'",
            Cover.LowerStreamAndRebuild,
            "", "bystander-claim 2 tail-truncated"
        },
        {
            "a claim's last event and entry cut, inside the log, its stream lowered and read models rebuilt",
            "delete from {s}.mt_events where stream_id = 'tampered-claim' and version = 4; delete from {s}.cl_ledger_entries where stream_id = 'tampered-claim' and version = 4; update {s}.mt_streams set version = 3 where id = 'tampered-claim'",
            Cover.LowerStreamAndRebuild,
            "* - ledger-row-deleted", "tampered-claim 4 tail-truncated"
        },
        {
            "two events swapped", "update {s}.mt_events set version = -1 where stream_id = 'tampered-claim' and version = 2; update {s}.mt_events set version = 2 where stream_id = 'tampered-claim' and version = 3; update {s}.mt_events set version = 3 where stream_id = 'tampered-claim' and version = -1", Cover.None,
            "tampered-claim 2 events-reordered; tampered-claim 3 events-reordered", "same"
        },
        {
            "a payload edited", "update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2", Cover.None,
            "tampered-claim 2 payload-edited", "same"
        },
        {
            "a link to the previous entry edited", "update {s}.cl_ledger_entries set prev_hash = sha256('forged') where stream_id = 'tampered-claim' and version = 3", Cover.None,
            "tampered-claim 3 ledger-row-edited", "same"
        },
        {
            "an entry hash edited", "update {s}.cl_ledger_entries set entry_hash = sha256('forged') where stream_id = 'tampered-claim' and version = 2", Cover.None,
            "tampered-claim 2 ledger-row-edited", "same"
        },
        {
            "a payload edited and the claim's chain recomputed", "update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2", Cover.Rehash,
            "", "tampered-claim 2 history-rewritten"
        },
        {
            "an event written behind the ledger's back",
            "insert into {s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name) " +
            "select nextval('{s}.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, now(), tenant_id, mt_dotnet_type, 'intruder' from {s}.mt_events where stream_id = 'tampered-claim' and version = 4",
            Cover.None,
            "tampered-claim 5 event-not-in-ledger; tampered-claim 5 read-model-edited; tampered-claim 5 stream-edited", "same"
        },
    };

    [Theory]
    [MemberData(nameof(EveryTampering))]
    public async Task every_tampering_names_exactly_the_claims_versions_and_kinds_involved_with_and_without_a_kept_digest(
        string what, string tampering, Cover cover, string withoutDigest, string withDigest)
    {
        var kept = await _ledger.SendAsync(new GetDigest.Query());
        await Sql(tampering, bypassLedgerGuard: true);
        if (cover == Cover.Rehash)
        {
            await RehashChainAsync(_claim);
        }
        else if (cover == Cover.LowerStreamAndRebuild)
        {
            await _ledger.SendAsync(new Operations.RebuildReadModels.Command());
        }

        static string Named(VerifyLedger.Report report) =>
            string.Join("; ", report.Breaks.Select(b => $"{b.ClaimId} {b.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {b.Kind}").Distinct().Order(StringComparer.Ordinal));

        Assert.True(withoutDigest == Named(await VerifyAsync()), $"{what}, without a digest: {Named(await VerifyAsync())}");
        Assert.True((withDigest == "same" ? withoutDigest : withDigest) == Named(await VerifyAsync(kept)), $"{what}, with a kept digest: {Named(await VerifyAsync(kept))}");
    }

    [Fact]
    public async Task the_ledger_table_refuses_updates_and_deletes()
    {
        var update = await Assert.ThrowsAsync<PostgresException>(() => Sql("update {s}.cl_ledger_entries set version = 9"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => Sql("delete from {s}.cl_ledger_entries"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => Sql("truncate {s}.cl_ledger_entries"));

        Assert.All([update, delete, truncate], e => Assert.Contains("append-only", e.MessageText));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task an_inclusion_proof_checks_offline_and_a_flipped_bit_or_another_root_fails_it()
    {
        var digest = await _ledger.SendAsync(new GetDigest.Query());
        var proof = await _ledger.SendAsync(new ProveClaim.Query(_claim));

        var flipped = proof with { AuditPath = [.. proof.AuditPath.Select((p, i) => i == 0 ? (p[0] == '0' ? "1" : "0") + p[1..] : p)] };
        var truncated = proof with { AuditPath = proof.AuditPath.Take(proof.AuditPath.Count - 1).ToArray() };

        Assert.Equal(4, proof.Version);
        Assert.Null(proof.PathDefect());
        Assert.True(proof.HoldsAgainst(digest));
        Assert.NotNull(flipped.PathDefect());
        Assert.NotNull(truncated.PathDefect());
        Assert.NotNull((proof with { EntryHash = digest.RootHash }).PathDefect());
        Assert.False(proof.HoldsAgainst(digest with { RootHash = new string('0', 64) }));
    }

    [Fact]
    public async Task the_audit_report_shows_the_timeline_verdicts_and_evidence_and_says_when_a_claim_was_tampered_with()
    {
        var before = await _ledger.SendAsync(new AuditReport.Query(_claim));
        await Sql("update {s}.mt_events set data = jsonb_set(data, '{reason}', '\"nothing wrong here\"') where stream_id = 'tampered-claim' and version = 2");
        var after = await _ledger.SendAsync(new AuditReport.Query(null));

        var section = Assert.Single(before.Claims);
        Assert.True(section.Intact);
        Assert.Equal([nameof(ClaimRecorded), nameof(ClaimDisputed), nameof(FindingRecorded), nameof(VerdictIssued)], section.Timeline.Select(e => e.Type));
        Assert.Contains(section.Evidence, e => e.DocumentId == "desk-note");
        var markdown = AuditReportWriter.Markdown(before);
        Assert.Contains("| 3 |", markdown);
        Assert.Contains("customs data", markdown);
        Assert.Contains("Mostly true — Mei Lin", markdown);
        Assert.Contains("claimed: 1280000000000 yuan", markdown);
        Assert.Contains("Established: amount: claimed “1280000000000”, established “1300000000000” \\(differs\\)", markdown);
        Assert.Contains("Intact", markdown);

        Assert.Equal(2, after.Claims.Count);
        Assert.False(after.LedgerIntact);
        Assert.False(after.Claims.Single(c => c.Claim.Id == _claim).Intact);
        Assert.True(after.Claims.Single(c => c.Claim.Id == _other).Intact);
        Assert.Contains("NOT INTACT: payload-edited at version 2", AuditReportWriter.Html(after));
    }

    [Fact]
    public async Task the_html_report_escapes_every_piece_of_user_text()
    {
        await _ledger.SendAsync(new DisputeClaim.Command(_other, "<script>alert('x')</script> & <b>bold</b>", [], null, new("<img src=x onerror=alert(1)>")));

        var html = AuditReportWriter.Html(await _ledger.SendAsync(new AuditReport.Query(_other)));

        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html);
    }

    private Task RehashChainAsync(string claim) => Forger.RehashChainAsync(_ledger, claim);
}
