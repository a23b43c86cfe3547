namespace Postmortems.Core.Language;

/// <summary>
/// The blameless-language check for contributing factors. A factor is a condition of the system, so on top of the
/// usual notes (<see cref="BlamelessLanguage"/>) it nudges a sentence about a person ("Sam forgot the flag") toward the
/// condition behind it ("what made the flag easy to forget?"). Plain code over words, so it takes time in proportion to the text.
/// </summary>
public static class FactorWording
{
    // Verbs that describe a person's slip, with the condition question they turn into ("easy to forget").
    // The first group is about a person whatever the subject; the second only with a person as the subject.
    private static readonly Dictionary<string, string> HumanVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["forgot"] = "forget", ["overlooked"] = "overlook", ["ignored"] = "ignore", ["misread"] = "misread", ["neglected"] = "neglect",
    };

    private static readonly Dictionary<string, string> SlipVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["missed"] = "miss", ["skipped"] = "skip", ["misconfigured"] = "misconfigure", ["broke"] = "break", ["deleted"] = "delete",
    };

    private static readonly HashSet<string> PersonWords = new(
        ["he", "she", "they", "i", "we", "you", "someone", "somebody", "engineer", "operator", "developer", "dev", "admin", "on-call", "oncall", "sre", "person", "user", "staff", "teammate", "colleague"],
        StringComparer.OrdinalIgnoreCase);

    private const int MaxObjectWords = 6;

    /// <summary>Every note for a factor's text: the usual ones and, where a person is the subject of a slip, the nudge to the condition.</summary>
    public static IReadOnlyList<LanguageSuggestion> Check(string field, string? text, IEnumerable<string>? people = null)
    {
        var names = Names(people);
        var suggestions = new List<LanguageSuggestion>(BlamelessLanguage.Check(field, text, names));
        if (string.IsNullOrWhiteSpace(text))
        {
            return suggestions;
        }

        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var replaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var nudges = new List<LanguageSuggestion>();
        for (int i = 0; i + 1 < words.Length; i++)
        {
            string subject = Trim(words[i]);
            string verb = Trim(words[i + 1]);
            bool human = HumanVerbs.TryGetValue(verb, out string? stem);
            if (!human && !(SlipVerbs.TryGetValue(verb, out stem) && IsPerson(subject, names)))
            {
                continue;
            }

            replaced.Add(subject + " " + verb);
            string thing = ObjectAfter(words, i + 2);
            string question = thing.Length == 0 ? $"what made it easy to {stem}?"
                : thing.StartsWith("to ", StringComparison.OrdinalIgnoreCase) ? $"what made it easy to {stem} {thing}?"
                : $"what made {thing} easy to {stem}?";
            nudges.Add(new LanguageSuggestion(field, $"{subject} {verb}",
                $"A contributing factor is a condition in the system, not a person's slip. Try asking {question}"));
        }

        // "Sam forgot to…" is also a "failed to" note of the general check: the nudge replaces it.
        suggestions.RemoveAll(s => replaced.Any(r => s.Phrase.StartsWith(r, StringComparison.OrdinalIgnoreCase)));
        suggestions.AddRange(nudges);
        return suggestions;
    }

    /// <summary>The words after the verb up to the end of the clause: "the flag" of "Sam forgot the flag, so…".</summary>
    private static string ObjectAfter(string[] words, int from)
    {
        var taken = new List<string>();
        for (int j = from; j < words.Length && taken.Count < MaxObjectWords; j++)
        {
            string word = words[j];
            string trimmed = Trim(word);
            if (trimmed.Length > 0)
            {
                taken.Add(trimmed);
            }

            if (word.Length > 0 && word[^1] is ',' or '.' or ';' or ':' or '!' or '?')
            {
                break;
            }
        }

        return string.Join(' ', taken);
    }

    private static bool IsPerson(string subject, HashSet<string> names) =>
        (subject.Length > 1 && subject[0] == '@') || PersonWords.Contains(subject) || names.Contains(subject);

    private static string Trim(string word) => word.Trim(',', '.', ';', ':', '!', '?', '"', '“', '”', '(', ')');

    private static HashSet<string> Names(IEnumerable<string>? people)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string person in people ?? [])
        {
            if (!string.IsNullOrWhiteSpace(person))
            {
                names.Add(person);
                names.Add(person.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
            }
        }

        return names;
    }
}
