using System.Text;

namespace Postmortems.Testing;

/// <summary>
/// Texts crafted against the product's text checks (blameless language, non-actions, command text): one very long
/// word, and 100 KB pastes of a fragment repeated, each fragment chosen to make a backtracking engine rescan the rest
/// of the text from every position. Shared by the unit tests (right answers) and the load tool (timings).
/// </summary>
public static class AdversarialText
{
    /// <summary>The size of a paste: 100 KB.</summary>
    public const int PasteLength = 100 * 1024;

    /// <summary>A single 10,000-letter word.</summary>
    public static string LongWord { get; } = new('a', 10_000);

    /// <summary>
    /// Fragments that, repeated, target each pattern: a subject that never ends ("a-", "é'"), a phrase that never
    /// completes ("should ", "be more ", "pay closer ", "human "), a tag that never closes ("&lt;at&gt;"), a word
    /// that never gets its boundary ("idiot"), and ones that do match on every repetition ("should have ",
    /// "Alex failed to ").
    /// </summary>
    public static IReadOnlyList<string> Fragments { get; } =
    [
        "should ", "should have ", "could've ", "a-", "é'", "@", "@a", "<at>", "idiot", "human ", "clearly ",
        "Alex failed to ", "the deploy failed to ", "didn't ", "be more ", "pay closer ", "do not make the same ",
        "double-", "remember to ", "be careful, add ", " \t",
    ];

    /// <summary><paramref name="fragment"/> repeated whole until the text is at least <paramref name="length"/> long.</summary>
    public static string Repeat(string fragment, int length = PasteLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(fragment);
        int count = (length + fragment.Length - 1) / fragment.Length;
        return new StringBuilder(count * fragment.Length).Insert(0, fragment, count).ToString();
    }

    /// <summary>How many whole times <see cref="Repeat"/> repeats <paramref name="fragment"/>.</summary>
    public static int Repetitions(string fragment, int length = PasteLength) => (length + fragment.Length - 1) / fragment.Length;
}
