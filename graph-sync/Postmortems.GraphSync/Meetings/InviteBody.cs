namespace Postmortems.GraphSync.Meetings;

/// <summary>An invite's body twice: HTML for Outlook and Teams, plain text for calendars that show no HTML.</summary>
public sealed record InviteBody(string Html, string Text);
