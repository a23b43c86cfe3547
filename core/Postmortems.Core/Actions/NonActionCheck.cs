using System.Text.RegularExpressions;

namespace Postmortems.Core.Actions;

/// <summary>
/// Recognises "actions" that ask people to try harder instead of changing anything ("be more careful",
/// "pay attention"). Such wishes leave the system as it was, so the same incident can happen again.
/// </summary>
public static partial class NonActionCheck
{
    public const string Explanation =
        "“{0}” asks people to try harder, and the system stays as it was, so this can happen again. " +
        "Please name a change to a system, a process, a tool or a signal instead: for example an alert, " +
        "a check in the pipeline, a safer default, or a runbook step.";

    /// <summary>
    /// The phrase that makes <paramref name="title"/> a non-action, or null when it is a real action.
    /// A title that also names a concrete change ("add an alert so nobody has to pay attention to disk space")
    /// is a real action.
    /// </summary>
    public static string? FindNonAction(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var wish = WishPattern().Match(title);
        if (!wish.Success)
        {
            return null;
        }

        return ConcreteChangePattern().IsMatch(title) ? null : wish.Value;
    }

    // NonBacktracking and no match timeout: an action title is user text, so the check must be linear in its length
    // whatever it holds, and must never fail the save. A wall-clock timeout (it was 200 ms) tripped on a busy machine
    // for the ordinary title "Add a schema check for checkout config", and the save answered HTTP 500.
    // ExplicitCapture: only the match's text is used, so the engine skips its slower capture pass.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture;

    [GeneratedRegex(
        @"\b(be\s+(more\s+)?(careful|vigilant|diligent|thorough|attentive|alert|aware)|pay\s+(more\s+|closer\s+)?attention|try\s+harder|take\s+more\s+care|(don'?t|do\s+not|never)\s+make\s+(the\s+same\s+)?mistakes?|avoid\s+(making\s+)?mistakes|stay\s+(focused|alert)|double[-\s]check|remember\s+to|think\s+before|be\s+less\s+careless)\b",
        Options)]
    private static partial Regex WishPattern();

    [GeneratedRegex(
        @"\b(add|adds|automate|alert|alarm|build|create|write|change|remove|delete|update|configure|implement|introduce|monitor|document|test|migrate|fix|enable|disable|deploy|block|limit|require|enforce|validate|rename|replace|upgrade|script|dashboard|runbook|lint|check\s+in\s+the|gate)\b",
        Options)]
    private static partial Regex ConcreteChangePattern();
}
