using System.Diagnostics;

namespace Postmortems.Load;

/// <summary>What one scenario measured: every request's latency, and how many failed.</summary>
public sealed record ScenarioResult(string Name, int Concurrency, TimeSpan Duration, IReadOnlyList<double> LatenciesMs, int Failures)
{
    public double Throughput => LatenciesMs.Count / Duration.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Runs one kind of request from <c>concurrency</c> simulated users, each sending its next request as soon as the
/// previous one answered (a closed loop), for a warm-up that is not counted and then for the measured time.
/// </summary>
public static class LoadRun
{
    public static async Task<ScenarioResult> RunAsync(string name, int concurrency, TimeSpan warmUp, TimeSpan duration, Func<int, Task<bool>> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RunLoopAsync(concurrency, warmUp, request, record: null).ConfigureAwait(false);
        var latencies = new List<double>[concurrency];
        int failures = await RunLoopAsync(concurrency, duration, request, latencies).ConfigureAwait(false);
        return new ScenarioResult(name, concurrency, duration, [.. latencies.SelectMany(l => l)], failures);
    }

    private static async Task<int> RunLoopAsync(int concurrency, TimeSpan duration, Func<int, Task<bool>> request, List<double>[]? record)
    {
        int failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var users = Enumerable.Range(0, concurrency).Select(async user =>
        {
            var mine = new List<double>();
            if (record is not null)
            {
                record[user] = mine;
            }

            int n = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                long start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(user * 1_000_000 + n++).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                if (ok)
                {
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(users).ConfigureAwait(false);
        return failures;
    }
}
