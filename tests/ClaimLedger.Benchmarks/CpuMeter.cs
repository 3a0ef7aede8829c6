using System.Diagnostics;
using System.Globalization;

namespace ClaimLedger.Benchmarks;

/// <summary>
/// CPU time spent by this process and by one PostgreSQL cluster (its postmaster, every backend alive and every one that
/// exited), read from /proc. On a machine shared with other work, CPU per operation moves much less than wall time does.
/// </summary>
internal sealed class CpuMeter(string dataDirectory)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux kernel configuration in use.

    public readonly record struct Sample(TimeSpan Wall, TimeSpan Client, TimeSpan Server, long At);

    /// <param name="client">The process to count as the client; this one unless given (the API server, for the HTTP scenario).</param>
    public Sample Read(Process? client = null)
    {
        using var self = Process.GetCurrentProcess();
        var process = client ?? self;
        process.Refresh();
        return new(TimeSpan.Zero, process.TotalProcessorTime, ServerCpu(), Stopwatch.GetTimestamp());
    }

    /// <summary>What happened between two samples: wall time, and CPU of this process and of PostgreSQL.</summary>
    public static Sample Since(Sample start, Sample end) =>
        new(Stopwatch.GetElapsedTime(start.At, end.At), end.Client - start.Client, end.Server - start.Server, end.At);

    private TimeSpan ServerCpu()
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return TimeSpan.Zero;
        }

        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while listed
            }

            // Fields after the command name, which is in parentheses and may hold spaces: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster)
            {
                // The postmaster's own time, and that of the backends it has reaped.
                ticks += Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17);
            }
            else if (parent == postmaster)
            {
                ticks += Field(fields, 14) + Field(fields, 15);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static double Field(string[] fields, int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
}
