namespace Postmortems.GraphSync;

/// <summary>
/// Settings under "Graph". With no <see cref="TenantId"/>, nothing is sent to Microsoft Graph: invites are written as
/// iCalendar (.ics) files under <see cref="LocalInviteFolder"/> instead, which Outlook opens.
/// </summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>The tenant the app's Graph application permissions were granted in.</summary>
    public string? TenantId { get; set; }

    /// <summary>The client id of a user-assigned managed identity or app registration; empty uses the default credential.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's client secret. Empty: a managed identity (or workload identity) is used instead.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The app's id in the organisation's Teams app catalog (not the manifest id), needed to pin the postmortem tab in
    /// an incident channel. Empty: incident channels are created without the tab.
    /// </summary>
    public string? TeamsAppCatalogId { get; set; }

    /// <summary>The Graph endpoint. Overridable so tests can point the Graph SDK at a local server.</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Where invites go as .ics files when Graph is not configured. Relative paths are under the app's folder.</summary>
    public string LocalInviteFolder { get; set; } = ".data/invites";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId);
}
