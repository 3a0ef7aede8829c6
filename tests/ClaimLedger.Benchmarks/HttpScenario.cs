using ClaimLedger.Documents;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ClaimLedger.Access;
using Npgsql;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// The API as a client sees it: <c>claimledger serve</c> in its own process, loaded by wrk on loopback with 2 threads
/// and 32 connections for 30 seconds, once reading claims and once issuing verdicts, each after a warm-up of
/// <see cref="WarmUpSeconds"/> under the same load. Each wrk thread walks its own half
/// of the claims, each verdict on another claim with that claim's current ETag: the version read before the run plus
/// one for every earlier pass over the list, since each accepted verdict adds one event. The verdict figure is the
/// verdicts actually stored per second, so a refused or lost request never counts.
/// </summary>
internal static partial class HttpScenario
{
    /// <summary>How long each scenario runs unmeasured first.</summary>
    public const int WarmUpSeconds = 10;

    /// <param name="dataDirectory">The cluster's data directory, for PostgreSQL's CPU per request.</param>
    public static async Task<List<Figure>> RunAsync(string connectionString, BenchLedger ledger, string label, int seconds, string dataDirectory)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            return [new("6. HTTP", label, "wrk is not installed (apt-get install -y wrk): skipped", 0, "-", "")];
        }

        var key = (await ledger.Send(new CreateApiKey.Command("Benchmark Checker", Role.Checker, "benchmark"))).Key;
        var claims = await OpenClaimsAsync(connectionString, ledger.Schema);
        // A rating must cite a source from outside the claim's publisher: the seeds' customs figures, cited by Reuters.
        var cited = await ledger.Send(new GetDocument.Query("reuters-2023-01-13-customs"));
        var evidence = System.Text.Json.JsonSerializer.Serialize(new[] { new { documentId = cited.Id, start = 0, end = 20, excerpt = cited.Text[..20] } })
            .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        var port = FreePort();
        using var server = StartServer(connectionString, port);
        try
        {
            await WaitUntilReadyAsync(port);
            var work = Path.Combine(Path.GetTempPath(), $"claimledger-wrk-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                // The claims are read from a file when each thread starts: a Lua table literal of 100,000 entries is past LuaJIT's limits.
                var list = Path.Combine(work, "claims.txt");
                // An even number, so each of the two threads keeps to its own claims on every pass and no two verdicts race for one.
                Task WriteListAsync() => File.WriteAllLinesAsync(list, claims.Take(claims.Count & ~1).Select(c => $"{c.Id} {c.Version}"));
                await WriteListAsync();
                var load = $$"""
                    local claims = {}
                    local threads = 0
                    function setup(thread)
                      thread:set("offset", threads)
                      threads = threads + 1
                    end
                    function init(args)
                      for line in io.lines("{{list}}") do
                        local id, version = line:match("^(%S+) (%d+)$")
                        claims[#claims + 1] = { id, version }
                      end
                      i = offset
                    end
                    """;
                var get = Path.Combine(work, "get.lua");
                await File.WriteAllTextAsync(get, load + $$"""

                    request = function()
                      local c = claims[(i % #claims) + 1]
                      i = i + 1
                      return wrk.format("GET", "/claims/" .. c[1], { ["X-Api-Key"] = "{{key}}" })
                    end
                    """);
                var verdict = Path.Combine(work, "verdict.lua");
                await File.WriteAllTextAsync(verdict, load + $$"""

                    request = function()
                      local c = claims[(i % #claims) + 1]
                      local version = c[2] + math.floor(i / #claims)
                      i = i + 2
                      return wrk.format("POST", "/claims/" .. c[1] .. "/verdicts",
                        { ["X-Api-Key"] = "{{key}}", ["Content-Type"] = "application/json", ["If-Match"] = '"' .. version .. '"' },
                        '{"rating":"True","rationale":"benchmark verdict","evidence":{{evidence}}}')
                    end
                    """);
                var cpu = new CpuMeter(dataDirectory);
                // CPU per request of the API server and of PostgreSQL: on a shared machine it moves much less than the rate.
                string Cpu(CpuMeter.Sample start, long requests)
                {
                    var used = CpuMeter.Since(start, cpu.Read(server));
                    return $"CPU per request: server {used.Client.TotalMicroseconds / requests:F0} µs, PostgreSQL {used.Server.TotalMicroseconds / requests:F0} µs; " +
                        $"cores busy: server {used.Client / used.Wall:F2}, PostgreSQL {used.Server / used.Wall:F2}";
                }

                // Each run follows a warm-up under the same load, so the figures are the server's steady state and not the
                // JIT compiling its code; the warm verdicts move the claims' versions, so the list is read again after them.
                await WrkAsync(label, "warm-up", get, port, WarmUpSeconds);
                var measuredFrom = cpu.Read(server);
                var reads = await WrkAsync(label, "GET /claims/{id}", get, port, seconds);
                await WrkAsync(label, "warm-up", verdict, port, WarmUpSeconds);
                // wrk stops without waiting for its last requests; the server still commits them, after which the versions are final.
                await Task.Delay(TimeSpan.FromSeconds(1));
                claims = await OpenClaimsAsync(connectionString, ledger.Schema);
                await WriteListAsync();
                reads.Figure = reads.Figure with { Notes = $"{reads.Figure.Notes}; {Cpu(measuredFrom, reads.Requests)}" };
                var verdictsBefore = await VerdictCountAsync(connectionString, ledger.Schema);
                measuredFrom = cpu.Read(server);
                var writes = await WrkAsync(label, "POST /claims/{id}/verdicts (If-Match, each on another claim)", verdict, port, seconds);
                var written = await VerdictCountAsync(connectionString, ledger.Schema) - verdictsBefore;
                writes.Figure = writes.Figure with { Notes = $"{writes.Figure.Notes}; {Cpu(measuredFrom, Math.Max(written, 1))} (per stored verdict)" };
                // wrk falls back to its own request when a script fails; counting the stored verdicts proves the figure is real.
                return written < (writes.Requests - writes.Refused) * 0.99
                    ? throw new InvalidOperationException($"wrk reported {writes.Requests - writes.Refused:N0} accepted verdict requests but only {written:N0} verdicts were stored")
                    : [reads.Figure, writes.Figure with
                    {
                        What = $"{writes.Figure.What}: verdicts stored",
                        Value = written / (double)seconds,
                        Unit = "verdicts/s",
                        Notes = $"{written:N0} stored of {writes.Requests:N0} requests ({writes.Figure.Value:N0} requests/s); {writes.Figure.Notes}; {claims.Count:N0} claims",
                    }];
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<long> VerdictCountAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.mt_events where type = 'verdict_issued'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(Figure Figure, long Requests, long Refused)> WrkAsync(string label, string what, string script, int port, int seconds)
    {
        using var wrk = Process.Start(new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
        })!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rate = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = Latency().Match(output);
        var errors = NonSuccess().Match(output) is { Success: true } failed ? failed.Groups[1].Value : "0";
        var p50 = Median().Match(output);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (new("6. HTTP", label, $"wrk 2 threads, 32 connections, {seconds} s: {what}", rate, "requests/s",
            $"p50 {Milliseconds(p50):F2} ms, p99 {Milliseconds(p99):F2} ms, non-2xx {errors}"), requests, long.Parse(errors, CultureInfo.InvariantCulture));
    }

    private static double Milliseconds(Match latency)
    {
        var value = double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture);
        return latency.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static async Task<List<(string Id, long Version)>> OpenClaimsAsync(string connectionString, string schema)
    {
        var claims = new List<(string, long)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // A quote is rated only once its attribution is checked; the seeds leave some unchecked, and those would only be refused.
        await using var command = new NpgsqlCommand(
            $"select id, mt_version from {schema}.mt_doc_claim where status <> 'Retracted' and not (data -> 'value' ->> '$kind' = 'Quote' and data ->> 'attribution' is null) order by id limit 100000",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claims.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return claims;
    }

    /// <summary>
    /// <c>claimledger serve</c> over the given database, in its own process, on a loopback port. Each variable
    /// <c>BENCH_SERVER_X=V</c> of the benchmark's environment is passed to the server alone as <c>X=V</c>, to compare
    /// runtime settings (<c>BENCH_SERVER_DOTNET_gcServer=1</c>) without changing the benchmark process itself.
    /// </summary>
    /// <param name="cliDll">The CLI to run; the benchmark's Release build unless a test passes its own.</param>
    internal static Process StartServer(string connectionString, int port, string? cliDll = null, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet", [cliDll ?? CliImport.Dll, "serve", "--urls", $"http://127.0.0.1:{port}", .. options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["CLAIMLEDGER_CONNECTION"] = connectionString, ["NO_COLOR"] = "1" },
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith(ServerVariable, StringComparison.Ordinal)))
        {
            start.Environment[name[ServerVariable.Length..]] = Environment.GetEnvironmentVariable(name);
        }

        var server = Process.Start(start)!;
        // Read and drop what it prints, so a server that logs a lot (a failover does) never blocks on a full pipe.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task WaitUntilReadyAsync(int port)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("claimledger serve did not become ready within 30 s");
    }

    private const string ServerVariable = "BENCH_SERVER_";

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"\n\s+99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex Latency();

    [GeneratedRegex(@"\n\s+50%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex Median();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
