using Postmortems.Core.Common;

namespace Postmortems.Core.Actions;

/// <summary>
/// The link from an action to the work item where the change is tracked (the team's tracker). Only an absolute https
/// address is kept: javascript:, data:, http: and every other scheme are refused, as are addresses with a user name or
/// password in them, so a link shown on a card, in the tab or in To Do can only ever open a web page over TLS.
/// </summary>
public static class WorkItemLinks
{
    /// <summary>Far longer than any tracker's address; short enough that a page of actions with links stays one small card.</summary>
    public const int MaxLength = 500;

    public const string Refused = "The work item link must be a full https address, like https://tracker.example.com/items/123.";

    /// <summary>The link as it is stored (trimmed), or an error; null text means no link.</summary>
    public static (string? Link, FieldError? Error) Parse(string? text)
    {
        string? trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed is null)
        {
            return (null, null);
        }

        if (trimmed.Length > MaxLength)
        {
            return (null, new FieldError("workItemLink", $"This link is too long: please keep it under {MaxLength} characters."));
        }

        return IsSafe(trimmed) ? (trimmed, null) : (null, new FieldError("workItemLink", Refused));
    }

    /// <summary>True for an absolute https address with a host, without user info or control characters or spaces.</summary>
    public static bool IsSafe(string? link) =>
        link is not null
        && link.Length <= MaxLength
        && !link.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && link.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);
}
