using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Timeline;

namespace Postmortems.Testing;

/// <summary>Valid domain objects to start tests from; each test changes only what it is about.</summary>
public static class TestData
{
    public static readonly Person Alex = new("00000000-0000-0000-0000-0000000000020", "Alex Wilber");
    public static readonly Person Megan = new("00000000-0000-0000-0000-0000000000021", "Megan Bowen");

    /// <summary>A tenant id no other test uses, so tests can share one Azurite and run in parallel.</summary>
    public static string NewTenantId() => Guid.NewGuid().ToString();

    public static Postmortem Postmortem(DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? DateTimeOffset.UtcNow;
        return new Postmortem
        {
            Id = Ids.NewPostmortemId(at),
            Title = "Checkout returned 500s for 40 minutes",
            Summary = "Checkout failed for about 12% of customers after a configuration change.",
            CustomerImpact = "About 3,000 failed orders.",
            Severity = Severity.Sev2,
            StartedAt = at.AddHours(-3),
            DetectedAt = at.AddHours(-2.5),
            MitigatedAt = at.AddHours(-2),
            ReportedBy = "Customer support",
            Facilitator = Alex,
            ConversationId = "19:meeting_abc@thread.v2",
            CreatedBy = Alex,
            CreatedAt = at,
        };
    }

    public static TimelineEntry TimelineEntry(string postmortemId) => new()
    {
        Id = Ids.NewItemId(),
        PostmortemId = postmortemId,
        Author = Alex,
        CreatedAt = DateTimeOffset.UtcNow,
        OccurredAt = TimeZones.FromLocal(new DateTime(2026, 11, 20, 14, 5, 0, DateTimeKind.Unspecified), "Europe/Paris"),
        TimeZone = "Europe/Paris",
        Actor = "Deploy pipeline",
        Description = "Rolled out config change 4711 to all regions.",
        Outcome = "Error rate on checkout rose to 12%.",
        Expectations = "The canary stage would catch a bad config.",
        Assumptions = "Config changes go through the canary like code does.",
        Kind = TimelineEntryKind.Action,
        SignalsAvailable = "Canary error-rate dashboard",
    };

    public static ActionItem Action(string postmortemId) => new()
    {
        Id = Ids.NewItemId(),
        PostmortemId = postmortemId,
        Author = Alex,
        CreatedAt = DateTimeOffset.UtcNow,
        Title = "Route configuration changes through the canary stage",
        Category = Core.Remediation.RemediationCategory.Prevent,
        Owner = Megan,
        DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14),
    };
}
