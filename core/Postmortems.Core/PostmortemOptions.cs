using System.ComponentModel.DataAnnotations;

namespace Postmortems.Core;

/// <summary>Settings under "Postmortems": how the practice is run.</summary>
public sealed class PostmortemOptions
{
    public const string Section = "Postmortems";

    /// <summary>Days from the postmortem meeting to the follow-up progress meeting. Default: 3 weeks.</summary>
    [Range(1, 180, ErrorMessage = "Postmortems:FollowUpAfterDays must be between 1 and 180.")]
    public int FollowUpAfterDays { get; set; } = 21;

    /// <summary>
    /// An optional group (its e-mail address) invited to every postmortem meeting as optional attendees, for teams
    /// that hold postmortems open to anyone interested.
    /// </summary>
    [EmailAddress(ErrorMessage = "Postmortems:OpenInvitationGroup must be an e-mail address, or empty.")]
    public string? OpenInvitationGroup { get; set; }

    /// <summary>
    /// The app's public https address (e.g. https://postmortems.contoso.com), where Teams loads the postmortem tab.
    /// Needed to pin the tab in an incident channel; empty: channels are created without the tab.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>The postmortem tab's page for one postmortem, or null without <see cref="PublicBaseUrl"/>.</summary>
    public Uri? TabUrlFor(string postmortemId) =>
        PublicBaseUrl is null ? null : new Uri(PublicBaseUrl, "tab/postmortems/" + Uri.EscapeDataString(postmortemId));
}
