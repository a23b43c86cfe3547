using Postmortems.Core.Search;

namespace Postmortems.Core.Overview;

/// <summary>
/// The one rule for "the same condition again", shown to users with its reason. Two postmortems match when
/// <list type="number">
/// <item><description>they share a service or a tag AND each has a contributing factor of the same category; or</description></item>
/// <item><description>a factor of one and a factor of the other are similar: of all the distinct words of both (common
/// English words left out), at least half are shared, and at least <see cref="MinSharedWords"/> of them (Jaccard index
/// ≥ <see cref="MinSimilarity"/>).</description></item>
/// </list>
/// Linear in the words compared: each comparison builds one hash set and walks the other list.
/// </summary>
public static class FactorMatching
{
    public const double MinSimilarity = 0.5;
    public const int MinSharedWords = 2;

    /// <summary>Why two factors are similar, or null when they are not.</summary>
    public static string? SimilarFactors(IndexedFactor a, IndexedFactor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (similarity, shared) = SearchTerms.Overlap(a.Words, b.Words);
        return similarity >= MinSimilarity && shared.Count >= MinSharedWords
            ? $"similar contributing factors share the words {string.Join(", ", shared.Take(6))}"
            : null;
    }

    /// <summary>Why <paramref name="other"/> matches <paramref name="row"/> by the rule, or null when it does not.</summary>
    public static string? Match(IndexRow row, IndexRow other)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(other);
        var labels = row.Services.Concat(row.Tags).Intersect(other.Services.Concat(other.Tags), StringComparer.Ordinal).ToList();
        if (labels.Count > 0)
        {
            var category = row.Factors.Select(f => f.Category).OfType<string>()
                .Intersect(other.Factors.Select(f => f.Category).OfType<string>(), StringComparer.Ordinal).FirstOrDefault();
            if (category is not null)
            {
                return $"same service or tag “{labels[0]}” and a contributing factor of the same category ({category})";
            }
        }

        foreach (var mine in row.Factors)
        {
            foreach (var theirs in other.Factors)
            {
                if (SimilarFactors(mine, theirs) is { } reason)
                {
                    return $"“{Short(mine.Text)}” and “{Short(theirs.Text)}”: {reason}";
                }
            }
        }

        return null;
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..80].TrimEnd() + "…";
}
