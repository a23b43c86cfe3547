using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Search;

namespace Postmortems.Core.Overview;

/// <summary>
/// The overview's figures from index rows (each row already holds its postmortem's counts, kept on write), so the
/// figures cost one pass over the period's rows, never a read of actions or factors.
/// </summary>
public static class OverviewCalculator
{
    /// <summary>Quick fixes dominate when they are more than half of the ideas and actions with a kind, over at least this many.</summary>
    public const int MinForQuickFixNote = 4;

    public const string NoCategory = "Not categorised yet";

    public static OverviewFigures Calculate(IReadOnlyList<IndexRow> rows, DateOnly from, DateOnly to, string? label, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var months = rows.GroupBy(r => r.Month, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MonthCount(g.Key, Enum.GetValues<Severity>().ToDictionary(s => s, s => g.Count(r => r.Severity == s))))
            .ToList();

        var medians = new List<MedianTime>
        {
            Median("detection", rows.Select(r => r.DetectedAt - r.StartedAt)),
            Median("mitigation", rows.Select(r => r.MitigatedAt - r.StartedAt)),
            Median("meeting", rows.Select(r => r.MeetingStartsAt - r.StartedAt)),
            Median("publication", rows.Select(r => r.PublishedAt - r.StartedAt)),
        };

        var members = rows.SelectMany(r => r.Members).GroupBy(m => m.Id, StringComparer.Ordinal)
            .Select(g => new MemberFigures(g.Key, g.Last().Name, g.Sum(m => m.Total), g.Sum(m => m.Done), g.Sum(m => m.OpenDue.Count(d => d < today))))
            .OrderByDescending(m => m.Overdue).ThenByDescending(m => m.Actions).ThenBy(m => m.Name, StringComparer.CurrentCulture)
            .ToList();

        var categories = rows.SelectMany(r => r.Factors).GroupBy(f => f.Category ?? NoCategory, StringComparer.Ordinal)
            .Select(g => new CategoryCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Factors).ThenBy(c => c.Category, StringComparer.Ordinal)
            .ToList();

        var kinds = Enum.GetValues<RemediationCategory>()
            .Select(k => new KindCount(k, rows.Sum(r => r.IdeasByKind.GetValueOrDefault(k)), rows.Sum(r => r.ActionsByKind.GetValueOrDefault(k))))
            .ToList();
        int all = kinds.Sum(k => k.Ideas + k.Actions);
        int quick = kinds.Where(k => k.Kind == RemediationCategory.QuickFix).Sum(k => k.Ideas + k.Actions);

        return new OverviewFigures(
            from,
            to,
            label,
            rows.Count,
            months,
            medians,
            members,
            categories,
            kinds,
            QuickFixesDominate: all >= MinForQuickFixNote && quick * 2 > all,
            Recurring(rows));
    }

    /// <summary>The measures a newer change can add a moment for (e.g. publication) go through here too.</summary>
    public static MedianTime Median(string measure, IEnumerable<TimeSpan?> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var minutes = spans.OfType<TimeSpan>().Where(s => s >= TimeSpan.Zero).Select(s => s.TotalMinutes).Order().ToList();
        if (minutes.Count == 0)
        {
            return new MedianTime(measure, null, 0);
        }

        int mid = minutes.Count / 2;
        double median = minutes.Count % 2 == 1 ? minutes[mid] : (minutes[mid - 1] + minutes[mid]) / 2;
        return new MedianTime(measure, Math.Round(median, 1), minutes.Count);
    }

    /// <summary>
    /// Groups similar factors of different postmortems (<see cref="FactorMatching.SimilarFactors"/>). Candidates come from
    /// a word index, leaving out words most factors share, and each factor is compared with a bounded number of them,
    /// so the work grows with the number of factors, not with its square.
    /// </summary>
    public static IReadOnlyList<RecurringFactor> Recurring(IReadOnlyList<IndexRow> rows, int maxGroups = 20)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var factors = rows.SelectMany((r, i) => r.Factors.Select(f => (Row: i, Factor: f))).ToList();
        int commonLimit = Math.Max(20, factors.Count / 20);
        var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var parent = Enumerable.Range(0, factors.Count).ToArray();
        var reasons = new Dictionary<int, string>();
        var commonWords = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < factors.Count; i++)
        {
            var counts = new Dictionary<int, int>();
            foreach (string word in factors[i].Factor.Words)
            {
                if (!postings.TryGetValue(word, out var list))
                {
                    postings[word] = list = [];
                }

                if (list.Count >= commonLimit)
                {
                    commonWords.Add(word);
                }
                else
                {
                    foreach (int j in list)
                    {
                        counts[j] = counts.GetValueOrDefault(j) + 1;
                    }
                }

                list.Add(i);
            }

            // Shared counts from the word index are a lower bound (common words left out), so only pairs that may pass
            // the rule are compared word by word.
            int mine = factors[i].Factor.Words.Count;
            int commonInMine = factors[i].Factor.Words.Count(commonWords.Contains);
            foreach (var (j, shared) in counts.Where(c => c.Value >= FactorMatching.MinSharedWords).OrderByDescending(c => c.Value).Take(50))
            {
                int most = shared + commonInMine;
                bool mayMatch = (double)most / Math.Max(1, mine + factors[j].Factor.Words.Count - most) >= FactorMatching.MinSimilarity;
                if (mayMatch && factors[j].Row != factors[i].Row && Find(parent, i) != Find(parent, j) && FactorMatching.SimilarFactors(factors[i].Factor, factors[j].Factor) is { } reason)
                {
                    int a = Find(parent, i), b = Find(parent, j);
                    if (a != b)
                    {
                        parent[Math.Max(a, b)] = Math.Min(a, b);
                        reasons.TryAdd(Math.Min(a, b), reason);
                    }
                }
            }
        }

        return factors.Select((f, i) => (Root: Find(parent, i), f.Row, f.Factor))
            .GroupBy(f => f.Root)
            .Select(g => (Root: g.Key, Rows: g.Select(f => f.Row).Distinct().ToList(), First: g.First().Factor))
            .Where(g => g.Rows.Count >= 2)
            .OrderByDescending(g => g.Rows.Count)
            .Take(maxGroups)
            .Select(g => new RecurringFactor(
                g.First.Text,
                [.. g.Rows.Select(r => new PostmortemRef(rows[r].Id, rows[r].Title))],
                reasons.TryGetValue(g.Root, out var why) ? why : "similar contributing factors"))
            .ToList();
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
