using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ClaimLedger.Access;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using ClaimLedger.Infrastructure;
using ClaimLedger.Ledger;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimLedger.Benchmarks;

/// <summary>What one failover run measured and found.</summary>
public sealed record FailoverRun(
    int Acknowledged, int Unacknowledged, int Lost, int Duplicated, int UnacknowledgedPresent,
    double WriteOutageSeconds, int ReadsDuringOutage, int ReadsAnsweredDuringOutage,
    bool VerifiedIntact, bool DigestIsPrefix, bool OldPrimaryRejoined, double RejoinSeconds, string OldPrimary, string NewPrimary,
    IReadOnlyList<string> Problems)
{
    public double ReadAvailability => ReadsDuringOutage == 0 ? 1 : (double)ReadsAnsweredDuringOutage / ReadsDuringOutage;

    /// <summary>The monitor promoted the secondary; otherwise the keeper restarted the killed primary in place first.</summary>
    public bool Promoted => NewPrimary.Length > 0 && NewPrimary != OldPrimary;
}

/// <summary>
/// The failover test of issue 17, shared by the integration test (one run, asserted) and the benchmark (several runs,
/// medians): eight HTTP clients record claims and issue verdicts with idempotency keys against a `claimledger serve`
/// process on the failover cluster; mid-burst the primary's postmaster gets SIGKILL; the clients retry each write with
/// its key until it is acknowledged. A ninth client keeps listing claims (a read the server sends to the standby).
/// Afterwards every acknowledged write must be in the ledger once, nothing twice, the ledger must verify against the
/// digest taken before the crash, and the old primary must be back as the secondary.
/// </summary>
public static class FailoverScenario
{
    private const int Clients = 8;
    private const string Evidence = "Customs data: China-Russia trade in 2022 was 1.28 trillion yuan.";
    private const string Article = "China and Russia said trade hit 1.28 trillion yuan in 2022. Wang Yi visited Moscow on Wednesday.";

    public static async Task<FailoverRun> RunAsync(FailoverCluster cluster, string cliDll, TimeSpan burstBeforeKill, TimeSpan burstAfterRecovery, Action<string>? report = null)
    {
        report ??= _ => { };
        var layout = cluster.Layout()!;
        var run = Guid.NewGuid().ToString("N")[..8];
        // An earlier run's pooled connections lead to the node it killed.
        MultiHostConnections.ClearPools();
        await using var ledger = new ServiceCollection().AddClaimLedger(new ClaimLedgerOptions(layout.ApplicationConnectionString())).BuildServiceProvider();
        var key = (await SendAsync(ledger, new CreateApiKey.Command("Failover client", Role.Checker, "failover test"))).Key;
        await EnsureDocumentAsync(ledger, "fo-article", "Failover Wire", Article);
        await EnsureDocumentAsync(ledger, "fo-evidence", "Failover desk", Evidence);
        var before = await SendAsync(ledger, new GetDigest.Query());

        var port = HttpScenario.FreePort();
        using var server = HttpScenario.StartServer(layout.ApplicationConnectionString(), port, cliDll, "--prefer-standby");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        await HttpScenario.WaitUntilReadyAsync(port);

        var clock = Stopwatch.StartNew();
        var acknowledged = new ConcurrentDictionary<string, double>();
        var attempted = new ConcurrentDictionary<string, byte>();
        var reads = new ConcurrentBag<(double At, bool Ok)>();
        var problems = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var killedAt = double.NaN;

        var writers = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var claim = $"fo-{run}-{client}-{i}";
                attempted[$"{claim}/record"] = 0;
                var recorded = await WriteAsync(http, $"{claim}/record", "/claims", null, new
                {
                    id = claim, kind = "Statement", statement = $"Trade hit 1.28 trillion yuan (failover run {run}, client {client}, write {i})",
                    appearance = Span("fo-article", Article, "trade hit 1.28 trillion yuan in 2022"),
                }, clock, problems);
                if (recorded is null)
                {
                    continue;
                }

                acknowledged[$"{claim}/record"] = recorded.Value;
                attempted[$"{claim}/verdict"] = 0;
                var rated = await WriteAsync(http, $"{claim}/verdict", $"/claims/{claim}/verdicts", 1, new
                {
                    rating = "True", rationale = $"Customs data agree (failover run {run}, write {client}-{i})", evidence = new[] { Span("fo-evidence", Evidence, "1.28 trillion yuan") },
                }, clock, problems);
                if (rated is { } at)
                {
                    acknowledged[$"{claim}/verdict"] = at;
                }
            }
        })).ToList();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed.TotalSeconds;
                try
                {
                    using var response = await http.GetAsync("/claims?pageSize=5");
                    reads.Add((started, response.IsSuccessStatusCode));
                }
                catch (HttpRequestException)
                {
                    reads.Add((started, false));
                }

                await Task.Delay(50);
            }
        });

        // Mid-burst means writes are flowing: on a loaded machine the server's first writes can take longer than the burst.
        await Task.Delay(burstBeforeKill);
        for (var waited = 0; acknowledged.Count < 2 * Clients && waited < 600; waited++)
        {
            await Task.Delay(100);
        }

        var oldPrimary = cluster.Status().Single(n => n.IsPrimary).Name;
        report($"Killing the postmaster of {oldPrimary} (SIGKILL) after {acknowledged.Count} acknowledged writes");
        killedAt = clock.Elapsed.TotalSeconds;
        Process.GetProcessById(cluster.PostmasterPid(oldPrimary)).Kill();
        var countAtKill = acknowledged.Count;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (acknowledged.Values.Count(t => t > killedAt) < Clients && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(burstAfterRecovery);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await reader;
        report($"{acknowledged.Count} writes acknowledged ({acknowledged.Count - countAtKill} after the kill)");

        // The outage is the longest stretch without any acknowledged write around the kill (requests already committed
        // may still be acknowledged just after it).
        var times = acknowledged.Values.Where(t => t >= killedAt - 1).Order().ToList();
        var (outageStart, outage) = (killedAt, 0.0);
        for (var i = 1; i < times.Count; i++)
        {
            if (times[i] - times[i - 1] > outage)
            {
                (outageStart, outage) = (times[i - 1], times[i] - times[i - 1]);
            }
        }

        var outageWindow = reads.Where(r => r.At >= outageStart && r.At <= outageStart + outage).ToList();

        // Rejoin: the old primary's keeper restarts it; the monitor makes it follow the new primary.
        var rejoinClock = Stopwatch.StartNew();
        var rejoined = false;
        var newPrimary = "";
        while (rejoinClock.Elapsed < TimeSpan.FromMinutes(3))
        {
            var nodes = cluster.Status();
            newPrimary = nodes.SingleOrDefault(n => n.IsPrimary)?.Name ?? "";
            if (nodes.Any(n => n.Name == oldPrimary && n.IsSecondary) && newPrimary.Length > 0 && newPrimary != oldPrimary)
            {
                rejoined = true;
                break;
            }

            // The keeper restarted the killed postmaster before the monitor promoted the secondary: a crash recovery in place.
            if (newPrimary == oldPrimary && nodes.Count(n => n.IsSecondary) == 1 && rejoinClock.Elapsed > TimeSpan.FromSeconds(30))
            {
                break;
            }

            await Task.Delay(500);
        }

        MultiHostConnections.ClearPools();
        var (lost, duplicated, unacknowledgedPresent) = await CountAsync(layout, run, acknowledged.Keys.ToHashSet(), attempted.Keys.ToHashSet());
        // Name what was lost, with when it was acknowledged against the kill, so a failing run can be diagnosed.
        foreach (var missing in lost)
        {
            problems.Add($"{missing}: acknowledged at {acknowledged[missing]:F2} s (primary killed at {killedAt:F2} s) but absent from the new primary");
        }

        var verified = await SendAsync(ledger, new VerifyLedger.Query(before));
        var entries = await ledger.GetRequiredService<LedgerRows>().EntriesAsync(CancellationToken.None);
        var prefix = Digest.Of(entries, before.TreeSize, before.ComputedAt).RootHash == before.RootHash;
        if (rejoined && !await SameLedgerOnEveryNodeAsync(layout))
        {
            problems.Add("the rejoined secondary holds a different ledger than the primary");
            rejoined = false;
        }

        server.Kill(entireProcessTree: true);
        return new FailoverRun(acknowledged.Count, attempted.Count - acknowledged.Count, lost.Count, duplicated, unacknowledgedPresent,
            outage, outageWindow.Count, outageWindow.Count(r => r.Ok), verified.Intact, prefix, rejoined, rejoinClock.Elapsed.TotalSeconds,
            oldPrimary, newPrimary, [.. problems, .. verified.Breaks.Select(b => $"{b.ClaimId} v{b.Version} {b.Kind}: {b.Detail}")]);
    }

    /// <summary>Sends one write until it is acknowledged, always with the same idempotency key; null if it never was.</summary>
    private static async Task<double?> WriteAsync(HttpClient http, string key, string path, long? ifMatch, object body, Stopwatch clock, ConcurrentBag<string> problems)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            if (ifMatch is { } version)
            {
                request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
            }

            try
            {
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed.TotalSeconds;
                }

                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError or HttpStatusCode.GatewayTimeout))
                {
                    problems.Add($"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return null;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The server is there but slow to answer while the database fails over; the same key makes the retry safe.
            }

            await Task.Delay(200);
        }

        problems.Add($"{key}: not acknowledged within 90 s");
        return null;
    }

    /// <summary>Counts, from the events on the primary, acknowledged writes missing and any write present more than once.</summary>
    private static async Task<(IReadOnlyList<string> Lost, int Duplicated, int UnacknowledgedPresent)> CountAsync(
        FailoverClusterLayout layout, string run, HashSet<string> acknowledged, HashSet<string> attempted)
    {
        var present = new Dictionary<string, long>();
        await using var connection = new NpgsqlConnection(layout.ApplicationConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select stream_id, type, count(*) from {LedgerStore.DefaultSchema}.mt_events where stream_id like @prefix group by 1, 2", connection);
        command.Parameters.AddWithValue("prefix", $"fo-{run}-%");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var write = reader.GetString(1).Contains("verdict", StringComparison.Ordinal) ? "verdict" : "record";
            present[$"{reader.GetString(0)}/{write}"] = reader.GetInt64(2);
        }

        return (acknowledged.Where(k => !present.ContainsKey(k)).Order(StringComparer.Ordinal).ToList(), present.Count(p => p.Value > 1),
            present.Keys.Count(k => attempted.Contains(k) && !acknowledged.Contains(k)));
    }

    /// <summary>The rejoined node must replay to the same ledger: same number of entries and the same last hash.</summary>
    private static async Task<bool> SameLedgerOnEveryNodeAsync(FailoverClusterLayout layout)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var heads = new List<string>();
            foreach (var port in layout.NodePorts)
            {
                var single = new NpgsqlConnectionStringBuilder(layout.ApplicationConnectionString("any")) { Host = "127.0.0.1", Port = port, TargetSessionAttributes = null, Pooling = false };
                await using var connection = new NpgsqlConnection(single.ConnectionString);
                await connection.OpenAsync();
                await using var head = new NpgsqlCommand(
                    $"select count(*) || ':' || coalesce(encode((select entry_hash from {LedgerStore.DefaultSchema}.{LedgerSchema.TableName} order by position desc limit 1), 'hex'), '') from {LedgerStore.DefaultSchema}.{LedgerSchema.TableName}", connection);
                heads.Add((string)(await head.ExecuteScalarAsync())!);
            }

            if (heads.Distinct().Count() == 1)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(500);
        }
    }

    private static object Span(string document, string text, string excerpt)
    {
        var start = text.IndexOf(excerpt, StringComparison.Ordinal);
        return new { documentId = document, start, end = start + excerpt.Length, excerpt };
    }

    /// <summary>Registering the same document again is recognised, so runs against one cluster can share it.</summary>
    private static Task<RegisterDocument.Result> EnsureDocumentAsync(ServiceProvider ledger, string id, string publisher, string text) =>
        SendAsync(ledger, new RegisterDocument.Command(id, publisher, $"{publisher} text", new DateOnly(2023, 2, 22), null, "en", DocumentKind.Article, text, new WriteContext("Failover test")));

    private static async Task<T> SendAsync<T>(ServiceProvider provider, IRequest<T> request)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
