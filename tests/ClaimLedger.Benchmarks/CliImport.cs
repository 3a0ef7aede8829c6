using System.Diagnostics;
using System.Globalization;

namespace ClaimLedger.Benchmarks;

/// <summary>What one run of <c>claimledger import</c> cost, as the user would run it: wall time and the process's peak resident memory.</summary>
/// <param name="ImportSeconds">The time the import itself reports, without process start and store set-up.</param>
internal sealed record CliImportRun(double WallSeconds, double ImportSeconds, long PeakBytes);

/// <summary>Runs the real CLI in its own process, so its memory is its own and not the benchmark's.</summary>
internal static class CliImport
{
    public static async Task<CliImportRun> RunAsync(string connectionString, string corpus)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, "import", corpus])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["CLAIMLEDGER_CONNECTION"] = connectionString, ["NO_COLOR"] = "1" },
        };

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        // VmHWM is the kernel's own high-water mark of the process's resident set.
        while (!process.HasExited)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.Delay(25);
        }

        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"claimledger import failed ({process.ExitCode}): {await errors}{await output}");
        }

        var taken = System.Text.RegularExpressions.Regex.Match(await output, @"Time taken\W+([0-9.]+) s");
        return new CliImportRun(seconds, taken.Success ? double.Parse(taken.Groups[1].Value, CultureInfo.InvariantCulture) : seconds, peak);
    }

    /// <summary>The CLI built once into a folder of its own, so no run is timed with a build in it, and editing the sources meanwhile changes nothing.</summary>
    public static string Dll { get; private set; } = "";

    public static async Task PrepareAsync(string repository)
    {
        var output = Path.Combine(Path.GetTempPath(), $"claimledger-bench-cli-{Guid.NewGuid():N}");
        using var build = Process.Start(new ProcessStartInfo("dotnet",
            ["build", Path.Combine(repository, "src", "ClaimLedger.Cli", "ClaimLedger.Cli.csproj"), "-c", "Release", "-o", output, "-nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
        })!;
        var log = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        Dll = build.ExitCode == 0 ? Path.Combine(output, "ClaimLedger.Cli.dll") : throw new InvalidOperationException($"building the CLI failed: {log}");
    }

    private static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
