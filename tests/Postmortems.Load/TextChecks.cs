using System.Diagnostics;
using System.Globalization;
using System.Text;
using Postmortems.Core.Actions;
using Postmortems.Core.Language;
using Postmortems.Testing;

namespace Postmortems.Load;

/// <summary>
/// Times the blameless-language and non-action checks on text crafted against them (AdversarialText: a 10,000-letter
/// word, 100 KB pastes of a repeated fragment), one at a time and 8 at once, in this process: these checks run in the
/// app exactly as here, on every save, so what matters is their own cost, not the HTTP around them.
/// </summary>
public static class TextChecks
{
    private const int Concurrency = 8;
    private static readonly string[] People = ["Alex Wilber", "Megan Bowen"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public sealed record Row(string Scenario, string Check, IReadOnlyList<(string Input, double Ms)> Samples)
    {
        public double Percentile(double p)
        {
            var sorted = Samples.Select(s => s.Ms).Order().ToArray();
            int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
        }

        public (string Input, double Ms) Slowest => Samples.MaxBy(s => s.Ms);
    }

    /// <summary>The inputs, named for the report: the long word (alone and as a subject) and one paste per fragment.</summary>
    public static IReadOnlyList<(string Name, string Text)> Inputs() =>
    [
        ("10,000-letter word", AdversarialText.LongWord),
        ("10,000-letter word + \" failed to\"", AdversarialText.LongWord + " failed to restart"),
        ("@ + 10,000-letter word + \" failed to\"", "@" + AdversarialText.LongWord + " failed to page"),
        .. AdversarialText.Fragments.Select(f => ($"100 KB of \"{f.Replace("\t", "\\t", StringComparison.Ordinal)}\"", AdversarialText.Repeat(f))),
    ];

    /// <summary>Each input checked <paramref name="rounds"/> times alone, then all of them again with 8 checks at once.</summary>
    public static IReadOnlyList<Row> Run(int rounds)
    {
        var inputs = Inputs();
        var checks = new (string Name, Action<string> Run)[]
        {
            ("blameless language", text => BlamelessLanguage.Check("description", text, People)),
            ("non-action", text => NonActionCheck.FindNonAction(text)),
        };

        // Not counted: the first use of each pattern builds its matcher.
        foreach (var (_, text) in inputs)
        {
            foreach (var check in checks)
            {
                check.Run(text);
            }
        }

        var rows = new List<Row>();
        foreach (var (name, run) in checks)
        {
            var single = new List<(string, double)>();
            for (int round = 0; round < rounds; round++)
            {
                foreach (var (input, text) in inputs)
                {
                    single.Add((input, Time(run, text)));
                }
            }

            rows.Add(new Row("one at a time", name, single));
        }

        foreach (var (name, run) in checks)
        {
            // 8 threads, released together for each round, each checking a different input.
            var samples = new List<(string, double)>[Concurrency];
            using var barrier = new Barrier(Concurrency);
            var workers = Enumerable.Range(0, Concurrency).Select(worker => new Thread(() =>
            {
                var mine = samples[worker] = [];
                for (int round = 0; round < rounds * inputs.Count / Concurrency; round++)
                {
                    var (input, text) = inputs[(worker + (round * Concurrency)) % inputs.Count];
                    barrier.SignalAndWait();
                    mine.Add((input, Time(run, text)));
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            rows.Add(new Row($"{Concurrency} at once", name, [.. samples.SelectMany(s => s)]));
        }

        return rows;
    }

    public static string Markdown(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine("| check | scenario | checks | p50 ms | p95 ms | max ms | slowest input |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var row in rows)
        {
            var slowest = row.Slowest;
            text.AppendLine(Invariant, $"| {row.Check} | {row.Scenario} | {row.Samples.Count} | {row.Percentile(50):0.00} | {row.Percentile(95):0.00} | {slowest.Ms:0.00} | {slowest.Input.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        // Per input, one at a time: which text costs what.
        var single = rows.Where(r => r.Scenario == "one at a time").ToList();
        text.AppendLine();
        text.AppendLine("| input (one at a time, p50 ms) | " + string.Join(" | ", single.Select(r => r.Check)) + " |");
        text.AppendLine("| --- |" + string.Concat(single.Select(_ => " ---: |")));
        foreach (string input in single[0].Samples.Select(s => s.Input).Distinct())
        {
            text.Append(Invariant, $"| {input.Replace("|", "\\|", StringComparison.Ordinal)} |");
            foreach (var row in single)
            {
                var times = row.Samples.Where(s => s.Input == input).Select(s => s.Ms).Order().ToArray();
                text.Append(Invariant, $" {times[(times.Length - 1) / 2]:0.00} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static double Time(Action<string> check, string text)
    {
        long start = Stopwatch.GetTimestamp();
        check(text);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
