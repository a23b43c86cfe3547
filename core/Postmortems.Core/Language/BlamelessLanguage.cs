using System.Text.RegularExpressions;

namespace Postmortems.Core.Language;

/// <summary>
/// Flags wording that assigns blame or judges with hindsight, and suggests neutral wording.
/// Blameless here means: we describe what people knew, expected and did at the time, and look for what in the
/// system made the outcome possible, not for whom to blame.
/// </summary>
public static partial class BlamelessLanguage
{
    private static readonly (Regex Pattern, string Suggestion)[] Rules =
    [
        (ShouldHave(), "“Should have” judges with hindsight. Try describing what was expected at the time and what happened instead."),
        (Careless(), "Describe the conditions instead of the person: what was the workload, the tooling, the signals available?"),
        (HumanError(), "“Human error” ends the inquiry. Try naming what made the slip easy: the tool, the missing check or the unclear signal."),
        (Fault(), "Describe the sequence of events rather than whose fault it was."),
        (Judgement(), "Words like this judge a person. Try describing what they did and what they knew at the time."),
        (Obvious(), "What seems obvious now may not have been at the time. Try describing what was known then."),
    ];

    /// <summary>
    /// Suggestions for one piece of text. <paramref name="people"/> are names of the people involved (actors,
    /// participants), so "Alex failed to restart" is flagged while "the deploy failed to start" is not.
    /// </summary>
    public static IReadOnlyList<LanguageSuggestion> Check(string field, string? text, IEnumerable<string>? people = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var suggestions = new List<LanguageSuggestion>();
        foreach (var (pattern, suggestion) in Rules)
        {
            foreach (Match match in pattern.Matches(text))
            {
                suggestions.Add(new LanguageSuggestion(field, match.Value, suggestion));
            }
        }

        foreach (var phrase in PersonFailedTo(text, people))
        {
            suggestions.Add(new LanguageSuggestion(field, phrase,
                "Saying a person “failed to” places blame. Try describing what they did, what they expected, and what got in the way."));
        }

        return suggestions;
    }

    /// <summary>Suggestions for several fields at once, for example every text field of a timeline entry.</summary>
    public static IReadOnlyList<LanguageSuggestion> Check(IEnumerable<KeyValuePair<string, string?>> fields, IEnumerable<string>? people = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var names = people?.ToList();
        return fields.SelectMany(f => Check(f.Key, f.Value, names)).ToList();
    }

    private static IEnumerable<string> PersonFailedTo(string text, IEnumerable<string>? people)
    {
        HashSet<string>? names = null;
        foreach (Match match in FailedTo().Matches(text))
        {
            // The subject is the word before "failed to" (letters, '-', '\'', a leading '@': never white space).
            string phrase = match.Value;
            int end = 0;
            while (end < phrase.Length && !char.IsWhiteSpace(phrase[end]))
            {
                end++;
            }

            string subject = phrase[..end];
            names ??= Names(people);
            if ((subject.Length > 1 && subject[0] == '@') || PersonWords.Contains(subject) || names.Contains(subject))
            {
                yield return phrase;
            }
        }
    }

    /// <summary>Each person's full name and first name, looked up once per check rather than once per match.</summary>
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

    // Words that make "… failed to" about a person; a subject starting with '@' is a mention, so a person too.
    private static readonly HashSet<string> PersonWords = new(
        ["he", "she", "they", "i", "we", "you", "someone", "somebody", "engineer", "operator", "developer", "dev", "admin",
         "administrator", "on-call", "oncall", "oncaller", "sre", "person", "user", "staff", "employee", "colleague", "teammate"],
        StringComparer.OrdinalIgnoreCase);

    // NonBacktracking: every pattern runs over text people type or paste, so each check must take time in proportion to
    // the text, whatever it holds (a 10,000-letter word, a 100 KB paste of "a-a-a-…"). The backtracking engines can
    // take quadratic time or worse on such input (FailedTo rescans a long word from each of its letters), and the
    // match timeout that once bounded them is wall-clock time: on a busy machine it tripped on ordinary text and the
    // save failed. So no timeout either: the engine itself is linear.
    // ExplicitCapture: only each match's text is used, and a pattern without captures skips the engine's slower
    // capture pass, which a paste with thousands of matches ("should have should have …") would pay on every one.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture;

    [GeneratedRegex(@"\b(should|could|would)\s*(have|'ve)\b|\bshould['’]ve\b", Options)]
    private static partial Regex ShouldHave();

    [GeneratedRegex(@"\bcareless(ly|ness)?\b|\bsloppy\b|\bnegligen(t|ce)\b|\bneglected\b", Options)]
    private static partial Regex Careless();

    [GeneratedRegex(@"\bhuman\s+error\b|\boperator\s+error\b|\buser\s+error\b", Options)]
    private static partial Regex HumanError();

    [GeneratedRegex(@"\b(his|her|their|my|your|our)\s+fault\b|\bfault\s+of\b|\bto\s+blame\b|\bblamed?\b", Options)]
    private static partial Regex Fault();

    [GeneratedRegex(@"\b(lazy|incompetent|stupid|dumb|idiot(ic)?|reckless|irresponsible)\b", Options)]
    private static partial Regex Judgement();

    [GeneratedRegex(@"\bobvious(ly)?\b|\bclearly\s+(should|could|missed)\b", Options)]
    private static partial Regex Obvious();

    // "<subject> failed to" / "forgot to" / "didn't bother to": the subject (the first word) decides whether it is about a person.
    [GeneratedRegex(@"@?[\p{L}][\p{L}\-']*\s+(failed|forgot|neglected|didn['’]?t\s+bother)\s+to\b", Options)]
    private static partial Regex FailedTo();
}
