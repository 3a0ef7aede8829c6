using System.Diagnostics;

namespace ClaimLedger.Benchmarks;

internal static class Timing
{
    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times, one after another, and returns each run's milliseconds.</summary>
    public static async Task<List<double>> MeasureAsync(int count, Func<int, Task> operation)
    {
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            await operation(i);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }
}
