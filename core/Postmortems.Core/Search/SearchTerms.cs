using System.Text;

namespace Postmortems.Core.Search;

/// <summary>
/// Words for search and for comparing contributing factors: runs of letters and digits, lower-case, two characters or
/// more, without the commonest English words. Plain code, one pass: linear in the length of the text.
/// </summary>
public static class SearchTerms
{
    /// <summary>The most words one search may hold; more are refused with a message.</summary>
    public const int MaxQueryWords = 8;

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "in", "into", "is",
        "it", "its", "no", "not", "of", "on", "or", "so", "that", "the", "their", "there", "this", "to", "was", "we",
        "were", "when", "which", "with",
    };

    /// <summary>The distinct words of <paramref name="text"/>, in order of first appearance.</summary>
    public static IReadOnlyList<string> Of(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (char c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length >= 2)
            {
                string w = word.ToString();
                if (!Common.Contains(w) && seen.Add(w))
                {
                    words.Add(w);
                }
            }

            word.Clear();
        }

        return words;
    }

    /// <summary>
    /// How much two word sets overlap: shared words divided by all distinct words of both (Jaccard), from 0 to 1.
    /// Linear in the sizes of the two sets.
    /// </summary>
    public static (double Similarity, IReadOnlyList<string> Shared) Overlap(IReadOnlyCollection<string> a, IReadOnlyCollection<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return (0, []);
        }

        var set = a as HashSet<string> ?? new HashSet<string>(a, StringComparer.Ordinal);
        var shared = b.Distinct(StringComparer.Ordinal).Where(set.Contains).ToList();
        int union = set.Count + b.Distinct(StringComparer.Ordinal).Count() - shared.Count;
        return ((double)shared.Count / union, shared);
    }
}
