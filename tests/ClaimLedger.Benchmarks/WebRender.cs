using System.Globalization;
using System.Text;
using ClaimLedger.Access;
using ClaimLedger.Claims;
using ClaimLedger.Infrastructure;
using Marten;
using Microsoft.Playwright;
using Npgsql;
using Spectre.Console;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// How long the web app takes to show the claim list and a claim page once the API has answered, on the seeded ledger:
/// <c>claimledger serve</c> in its own process, Debian's Chromium through Playwright, and the app's own User Timing
/// measures (from the API's answer to the first frame painted after the page was built). Target: under 300 ms.
/// </summary>
internal static class WebRender
{
    private const string Chromium = "/usr/bin/chromium";
    private const double TargetMs = 300;

    public static async Task<int> RunAsync(string root, int runs)
    {
        if (!File.Exists(Chromium))
        {
            AnsiConsole.MarkupLine($"[red]The page-render benchmark needs Chromium at {Chromium}: apt-get install -y chromium[/]");
            return 1;
        }

        await CliImport.PrepareAsync(root);
        var home = Path.Combine(Path.GetTempPath(), $"claimledger-web-{Guid.NewGuid():N}"[..32]);
        var postgres = new LocalPostgres(home, new Dictionary<string, string>());
        try
        {
            var cluster = await postgres.EnsureRunningAsync();
            await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand("create database web_render", admin);
                await create.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "web_render" }.ConnectionString;
            await using var ledger = await BenchLedger.OpenAsync(connectionString, LedgerStore.DefaultSchema);
            await CliImport.RunAsync(connectionString, Path.Combine(root, "seeds"));
            var key = (await ledger.Send(new CreateApiKey.Command("Benchmark Reader", Role.Checker, "benchmark"))).Key;
            await using var session = ledger.Store.QuerySession();
            var longest = await session.Query<Claim>().OrderByDescending(c => c.Version).FirstAsync();
            var claimCount = await session.Query<Claim>().CountAsync();

            var port = HttpScenario.FreePort();
            using var server = HttpScenario.StartServer(connectionString, port);
            try
            {
                await HttpScenario.WaitUntilReadyAsync(port);
                using var playwright = await Playwright.CreateAsync();
                await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
                var url = $"http://127.0.0.1:{port}/";
                var list = await MeasureAsync(browser, key, $"{url}#/?pageSize=50", "list", runs);
                var claim = await MeasureAsync(browser, key, $"{url}#/claims/{Uri.EscapeDataString(longest.Id)}", "claim", runs);
                Write(root, claimCount, longest, runs, list, claim);
                return list.Median < TargetMs && claim.Median < TargetMs ? 0 : 1;
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
        finally
        {
            postgres.Stop(immediate: true);
            Directory.Delete(home, recursive: true);
        }
    }

    private readonly record struct Timing(double Median, double P95, double Max);

    private static async Task<Timing> MeasureAsync(IBrowser browser, string key, string address, string measure, int runs)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await context.AddInitScriptAsync($"sessionStorage.setItem('claimledger.apiKey', {System.Text.Json.JsonSerializer.Serialize(key)});");
        var page = await context.NewPageAsync();
        var samples = new List<double>();
        // The first load warms the server's and the browser's caches; it is not counted.
        for (var run = 0; run <= runs; run++)
        {
            await page.GotoAsync(address);
            await page.ReloadAsync();
            var duration = await page.EvaluateAsync<double>(
                $"() => new Promise(resolve => {{ const check = () => {{ const m = performance.getEntriesByName('{measure}', 'measure'); if (m.length) resolve(m[m.length - 1].duration); else setTimeout(check, 20); }}; check(); }})");
            if (run > 0)
            {
                samples.Add(duration);
            }
        }

        await context.CloseAsync();
        var sorted = samples.Order().ToArray();
        return new(sorted[sorted.Length / 2], sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1], sorted[^1]);
    }

    private static void Write(string root, int claims, Claim longest, int runs, Timing list, Timing claim)
    {
        string Row(string what, Timing t) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {t.Median:F1} | {t.P95:F1} | {t.Max:F1} | {(t.Median < TargetMs ? "met" : "NOT met")} |");
        var md = new StringBuilder()
            .AppendLine("# Web app: page render time after the API answers").AppendLine()
            .AppendLine("Written by `dotnet run -c Release --project tests/ClaimLedger.Benchmarks -- --web`. The app marks the moment the API's")
            .AppendLine("answer arrived and measures to the first frame painted after the page was built (User Timing, `performance.measure`);")
            .AppendLine("network and server time are not in it. Debian's Chromium, headless, 1280×900, on the seeded ledger")
            .AppendLine(CultureInfo.InvariantCulture, $"({claims} claims), {runs} reloads each after one warm-up. Target: under {TargetMs:F0} ms.").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}. Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.").AppendLine()
            .AppendLine("| page | median ms | p95 ms | max ms | target |").AppendLine("|---|---:|---:|---:|---|")
            .AppendLine(Row("claim list, 50 claims a page", list))
            .AppendLine(Row($"claim page of the longest history ({longest.Id}, {longest.Version} versions), before its source documents load", claim));
        File.WriteAllText(Path.Combine(root, "docs", "web-render.md"), md.ToString());
        AnsiConsole.Write(new Markup(Markup.Escape(md.ToString())));
    }
}
