using System.Collections.Concurrent;
using System.Diagnostics;
using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Ledger;
using MediatR;

namespace ClaimLedger.Benchmarks;

/// <summary>What a load run found: every accepted command must be in the ledger once, every refused one absent.</summary>
internal sealed record LoadOutcome(int Commands, int Accepted, int Refused, int Lost, int Duplicated, int Invented, bool ReadModelsMatch, bool LedgerIntact, double CommandsPerSecond);

/// <summary>
/// Several writers send mixed commands (record, corroborate, correct, verdict, dispute) against a small set of shared
/// claims through the real pipeline. Each command carries a unique marker, so afterwards every event can be traced
/// to the command that caused it.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadOutcome> RunAsync(IRequestSender ledger, int writers, int commandsPerWriter, int sharedClaims, string documentId, string documentText, string otherDocumentId, string otherText)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var appearance = new SourceRef(documentId, 0, 10, documentText[..10]);
        var other = new SourceRef(otherDocumentId, 0, 10, otherText[..10]);
        var claims = Enumerable.Range(0, sharedClaims).Select(i => $"load-{run}-{i}").ToArray();
        foreach (var id in claims)
        {
            await ledger.Send(new RecordClaim.Command(id, ClaimKind.Quantity, "shared claim", new Dictionary<string, string?> { ["amount"] = "1", ["unit"] = "yuan" }, appearance, new WriteContext("setup")));
        }

        var accepted = new ConcurrentBag<string>();
        var recorded = new ConcurrentBag<string>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; n < commandsPerWriter; n++)
            {
                var marker = $"m-{run}-{w}-{n}";
                var claim = claims[random.Next(claims.Length)];
                var context = new WriteContext($"writer-{w}");
                var kind = random.Next(5);
                IRequest<WriteResult> command = kind switch
                {
                    0 => new RecordClaim.Command($"{marker}", ClaimKind.Statement, marker, new Dictionary<string, string?>(), appearance, context),
                    1 => new CorroborateClaim.Command(claim, other, marker, null, context),
                    2 => new RecordFinding.Command(claim, "amount", $"{w}{n}{random.Next(1000)}", marker, [other], null, context),
                    3 => new IssueVerdict.Command(claim, (Rating)random.Next(5), marker, [other], null, context),
                    _ => new DisputeClaim.Command(claim, marker, [], random.Next(4) == 0 ? 1 : null, context),
                };
                try
                {
                    await ledger.Send(command);
                    accepted.Add(marker);
                    if (kind == 0)
                    {
                        recorded.Add(marker);
                    }
                }
                catch (Exception e) when (e is ClaimRuleException or VersionConflictException or RequestValidationException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;

        var found = new Dictionary<string, int>();
        var readModelsMatch = true;
        foreach (var id in claims.Concat(recorded))
        {
            var history = await ledger.Send(new ClaimHistory.Query(id));
            foreach (var entry in history)
            {
                var marker = entry.Type == nameof(ClaimRecorded) ? (entry.Data as ClaimRecorded)?.Statement : entry.Reason;
                if (marker is not null && marker.StartsWith($"m-{run}-", StringComparison.Ordinal))
                {
                    found[marker] = found.GetValueOrDefault(marker) + 1;
                }
            }

            var current = await ledger.Send(new GetClaim.Query(id));
            readModelsMatch &= ClaimFields.Of(ClaimReplay.Replay(history).Last().State).SequenceEqual(ClaimFields.Of(current)) && current.Version == history.Count;
        }

        var acceptedSet = accepted.ToHashSet();
        var verified = await ledger.Send(new VerifyLedger.Query());
        return new LoadOutcome(
            writers * commandsPerWriter, acceptedSet.Count, refused,
            Lost: acceptedSet.Count(m => !found.ContainsKey(m)),
            Duplicated: found.Count(f => f.Value > 1),
            Invented: found.Keys.Count(m => !acceptedSet.Contains(m)),
            readModelsMatch, verified.Intact, writers * commandsPerWriter / seconds);
    }
}

/// <summary>Sends a request in its own scope, as each CLI command or HTTP request does.</summary>
internal interface IRequestSender
{
    Task<T> Send<T>(IRequest<T> request);
}
