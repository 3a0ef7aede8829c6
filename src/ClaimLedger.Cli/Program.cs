using ClaimLedger.Cli.Commands;
using ClaimLedger.Cli.Hosting;
using Spectre.Console.Cli;

Output.SizeStandardOutput();
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("claimledger");
    config.SetExceptionHandler((exception, _) => CliFailures.Report(exception));
    config.AddBranch("claims", claims =>
    {
        claims.SetDescription("Record, check and inspect claims");
        claims.AddCommand<RecordCommand>("record").WithExample("claims", "record", "--kind", "Quantity", "--statement", "\"China-Russia trade hit 1.28 trillion yuan in 2022\"",
            "--amount", "\"1.28 trillion\"", "--unit", "yuan", "--period", "2022", "--document", "cnn-2023", "--start", "120", "--end", "160", "--excerpt", "\"...\"");
        claims.AddCommand<AttachSourceCommand>("source");
        claims.AddCommand<CorroborateCommand>("corroborate");
        claims.AddCommand<DisputeCommand>("dispute");
        claims.AddCommand<AmendCommand>("amend");
        claims.AddCommand<FindingCommand>("find");
        claims.AddCommand<AttributionCommand>("attribution");
        claims.AddCommand<VerdictCommand>("verdict");
        claims.AddCommand<RetractCommand>("retract");
        claims.AddCommand<DecideMatchCommand>("match").WithExample("claims", "match", "putin-visit-2018", "--with-review", "https://checks.example/putin", "--reason", "\"same trip, same dates\"");
        claims.AddCommand<ListCommand>("list");
        claims.AddCommand<ShowCommand>("show");
        claims.AddCommand<HistoryCommand>("history");
        claims.AddCommand<DiffCommand>("diff").WithExample("claims", "diff", "trade-cn-ru-2022-total", "--from", "1", "--to", "4");
        claims.AddCommand<AsOfCommand>("as-of").WithExample("claims", "as-of", "trade-cn-ru-2022-total", "--at", "2026-10-01");
    });
    config.AddCommand<ImportCommand>("import").WithExample("import", "seeds").WithExample("import", "reviews", "claimreview.jsonl");
    config.AddCommand<ImportReviewsCommand>(ImportReviewsCommand.Verb).IsHidden();
    config.AddCommand<MatchCommand>("match").WithExample("match", "\"Russia and China trade hit a record\"", "--top", "3");
    config.AddCommand<DemoCommand>("demo");
    config.AddBranch("documents", documents =>
    {
        documents.SetDescription("Register and inspect source documents");
        documents.AddCommand<AddDocumentCommand>("add");
        documents.AddCommand<ListDocumentsCommand>("list");
        documents.AddCommand<ShowDocumentCommand>("show");
    });
    config.AddBranch("audit", audit =>
    {
        audit.SetDescription("For auditors: digests, verification, signed checkpoints, inclusion and consistency proofs");
        audit.AddCommand<DigestCommand>("digest");
        audit.AddCommand<VerifyCommand>("verify");
        audit.AddCommand<ProofCommand>("proof");
        audit.AddCommand<CheckProofCommand>("check-proof");
        audit.AddCommand<KeygenCommand>("keygen").WithExample("audit", "keygen", "--origin", "factcheck.example/claimledger");
        audit.AddCommand<CheckpointCommand>("checkpoint").WithExample("audit", "checkpoint", "--out", "checkpoint.txt");
        audit.AddCommand<ConsistencyCommand>("consistency").WithExample("audit", "consistency", "--old", "old.txt", "--new", "new.txt", "--out", "consistency.json");
        audit.AddCommand<ReplayCommand>("replay");
        audit.AddCommand<ReportCommand>("report").WithExample("audit", "report", "--all", "--format", "html", "--out", "report.html");
    });
    config.AddCommand<WitnessCommand>("witness").WithExample("witness", "--log", "http://127.0.0.1:5080", "--state", "witness-state.txt", "--log-key", "log.vkey", "--key-file", "witness.key");
    config.AddCommand<ServeCommand>("serve").WithExample("serve", "--urls", "http://127.0.0.1:5080");
    config.AddBranch("keys", keys =>
    {
        keys.SetDescription("API keys for the HTTP API: who may read, write, audit or manage keys");
        keys.AddCommand<AddKeyCommand>("add").WithExample("keys", "add", "--person", "Mei Lin", "--role", "checker");
        keys.AddCommand<ListKeysCommand>("list");
        keys.AddCommand<RevokeKeyCommand>("revoke");
    });
    config.AddBranch("export", export =>
    {
        export.SetDescription("Publish the ledger's verdicts");
        export.AddCommand<ExportClaimReviewCommand>("claimreview").WithExample("export", "claimreview", "--out", "claimreview.json");
    });
    config.AddBranch("cluster", cluster =>
    {
        cluster.SetDescription("A high-availability cluster on this machine with pg_auto_failover: up, status, failover, down");
        cluster.AddCommand<ClusterUpCommand>("up");
        cluster.AddCommand<ClusterStatusCommand>("status");
        cluster.AddCommand<ClusterFailoverCommand>("failover");
        cluster.AddCommand<ClusterDownCommand>("down");
    });
    config.AddBranch("db", db =>
    {
        db.SetDescription("The database: migrate, status of the embedded cluster and the sequencer, sequence, stop it");
        db.AddCommand<MigrateCommand>("migrate");
        db.AddCommand<StatusCommand>("status");
        db.AddCommand<SequenceCommand>("sequence");
        db.AddCommand<StopCommand>("stop");
        db.AddCommand<ScriptCommand>("script");
        db.AddCommand<RebuildCommand>("rebuild");
    });
});
// "import PATH" takes any path, so "import reviews FILE" is routed to its own verb before parsing.
return await app.RunAsync(args is ["import", "reviews", .. var rest] ? [ImportReviewsCommand.Verb, .. rest] : args);
