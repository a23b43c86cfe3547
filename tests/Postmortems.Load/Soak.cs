using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postmortems.Load;

/// <summary>One memory sample of the app process: resident set size and the .NET heap isn't visible from outside.</summary>
public sealed record MemorySample(TimeSpan At, long ResidentKb, int Requests);

/// <summary>Sustained card submissions while the app's resident memory (Linux /proc) is sampled every 10 s.</summary>
public static class Soak
{
    public static async Task<IReadOnlyList<MemorySample>> RunAsync(int processId, int users, TimeSpan duration, Func<int, Task<bool>> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = new List<MemorySample>();
        int requests = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var load = LoadRun.RunAsync("soak", users, TimeSpan.Zero, duration, async n =>
        {
            bool ok = await request(n).ConfigureAwait(false);
            Interlocked.Increment(ref requests);
            return ok;
        });
        while (!load.IsCompleted)
        {
            samples.Add(new MemorySample(clock.Elapsed, ResidentKb(processId), Volatile.Read(ref requests)));
            await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        }

        await load.ConfigureAwait(false);
        samples.Add(new MemorySample(clock.Elapsed, ResidentKb(processId), Volatile.Read(ref requests)));
        return samples;
    }

    /// <summary>
    /// The first minute is warm-up (JIT, caches, pools); growth is judged on the rest: the last 3 samples' mean against
    /// the mean of the samples around the 1-minute mark.
    /// </summary>
    public static string Describe(IReadOnlyList<MemorySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var invariant = CultureInfo.InvariantCulture;
        var afterWarmUp = samples.Where(s => s.At >= TimeSpan.FromMinutes(1)).ToList();
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Soak: {samples[^1].Requests} card submissions in {samples[^1].At.TotalMinutes:0.0} min.");
        text.AppendLine(invariant, $"Resident memory: start {samples[0].ResidentKb / 1024.0:0} MB, max {samples.Max(s => s.ResidentKb) / 1024.0:0} MB, end {samples[^1].ResidentKb / 1024.0:0} MB.");
        if (afterWarmUp.Count >= 6)
        {
            double early = afterWarmUp.Take(3).Average(s => s.ResidentKb) / 1024.0;
            double late = afterWarmUp.TakeLast(3).Average(s => s.ResidentKb) / 1024.0;
            text.AppendLine(invariant, $"After the first minute: {early:0} MB → {late:0} MB ({(late - early) / early:P1}).");
        }

        text.AppendLine("minute, resident MB, requests so far");
        foreach (var s in samples)
        {
            text.AppendLine(invariant, $"{s.At.TotalMinutes:0.00}, {s.ResidentKb / 1024.0:0}, {s.Requests}");
        }

        return text.ToString();
    }

    private static long ResidentKb(int processId)
    {
        foreach (string line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
