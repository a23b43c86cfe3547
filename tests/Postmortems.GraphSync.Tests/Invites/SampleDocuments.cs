using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Invites;

/// <summary>Postmortems to build invites from: a realistic one, and one whose every text field is hostile.</summary>
internal static class SampleDocuments
{
    public const string Script = "<script>window.hacked=1</script>";
    public const string Img = "<img src=x onerror=\"window.imgFired=1\">";
    public const string Markdown = "**bold** [link](javascript:alert(1))";

    public static readonly DateTimeOffset Created = new(2026, 11, 20, 16, 0, 0, TimeSpan.Zero);

    public static PostmortemDocument Realistic()
    {
        var postmortem = TestData.Postmortem(Created) with
        {
            StartedAt = At(14, 5),
            DetectedAt = At(14, 22),
            MitigatedAt = At(14, 45),
        };
        string id = postmortem.Id;
        return new PostmortemDocument(
            postmortem,
            [
                Entry(id, At(14, 22), "Customer support", "Three customers reported failed payments in chat.", "Support opened an incident.", TimelineEntryKind.Report),
                Entry(id, At(14, 5), "Deploy pipeline", "Rolled out config change 4711 to all regions.", "Error rate on checkout rose to 12%.", TimelineEntryKind.Action),
                Entry(id, At(14, 30), "On-call engineer (Megan)", "Compared the error spike with recent deployments.", "Suspected config change 4711.", TimelineEntryKind.Action),
                Entry(id, At(14, 40), "On-call engineer (Megan)", "Rolled back config change 4711.", "Errors fell within 5 minutes.", TimelineEntryKind.Action),
                Entry(id, At(14, 50), "Incident lead", "Posted an all-clear on the status page.", null, TimelineEntryKind.Communication),
            ],
            [
                Idea(id, RemediationCategory.Detect, "Alert on checkout error rate above 2% for 3 minutes."),
                Idea(id, RemediationCategory.React, "Link the deployment log from the checkout dashboard."),
                Idea(id, RemediationCategory.QuickFix, "One-click rollback for configuration changes."),
                Idea(id, RemediationCategory.Prevent, "Send configuration changes through the canary stage."),
                Idea(id, RemediationCategory.OtherAreasOfRisk, "The search service reads the same configuration store."),
            ],
            [
                TestData.Action(id) with { DueDate = new DateOnly(2026, 12, 11) },
                TestData.Action(id) with { Title = "Add a checkout error-rate alert", Owner = TestData.Alex, DueDate = new DateOnly(2026, 12, 4), Status = ActionStatus.InProgress },
            ],
            [
                new FiveWhys
                {
                    Id = Ids.NewItemId(), PostmortemId = id, Author = TestData.Alex, CreatedAt = Created,
                    Problem = "Checkout failed for 12% of customers.",
                    Whys =
                    [
                        "A configuration value was wrong in every region.",
                        "The change went to all regions at once.",
                        "Configuration changes skip the canary stage.",
                    ],
                },
            ],
            [Factor(id, "Configuration and code follow different release paths.")],
            [Takeaway(id, "Configuration is code: it needs the same safety net.")]);
    }

    /// <summary>Every field that can reach an invite holds <paramref name="text"/>.</summary>
    public static PostmortemDocument Hostile(string text)
    {
        var person = new Person("00000000-0000-0000-0000-000000000099", text);
        var postmortem = TestData.Postmortem(Created) with
        {
            Title = text,
            Summary = text,
            CustomerImpact = text,
            ReportedBy = text,
            StartedAt = At(14, 5),
        };
        string id = postmortem.Id;
        return new PostmortemDocument(
            postmortem,
            [Entry(id, At(14, 5), text, text, text, TimelineEntryKind.Action)],
            [.. Enum.GetValues<RemediationCategory>().Select(c => Idea(id, c, text))],
            [TestData.Action(id) with { Title = text, Owner = person, DueDate = new DateOnly(2026, 11, 1) }],
            [new FiveWhys { Id = Ids.NewItemId(), PostmortemId = id, Author = person, CreatedAt = Created, Problem = text, Whys = [text] }],
            [Factor(id, text)],
            [Takeaway(id, text)]);
    }

    public static PostmortemDocument WithActions(params ActionItem[] actions) =>
        Realistic() with { Actions = actions };

    public static PostmortemDocument WithTimeline(int entries)
    {
        var document = Realistic();
        return document with
        {
            Timeline = [.. Enumerable.Range(0, entries).Select(i =>
                Entry(document.Postmortem.Id, At(10, 0).AddMinutes(i), "Actor " + i, "Step " + i, null, TimelineEntryKind.Action))],
        };
    }

    public static ActionItem Action(string title, ActionStatus status, DateOnly? due, string owner = "Megan Bowen") =>
        TestData.Action("pm") with { Title = title, Status = status, DueDate = due, Owner = new Person(Guid.NewGuid().ToString(), owner) };

    /// <summary>A time on 20 Nov 2026 in UTC.</summary>
    public static DateTimeOffset At(int hour, int minute) => new(2026, 11, 20, hour, minute, 0, TimeSpan.Zero);

    private static TimelineEntry Entry(string id, DateTimeOffset at, string actor, string description, string? outcome, TimelineEntryKind kind) =>
        TestData.TimelineEntry(id) with
        {
            OccurredAt = TimeZones.InZone(at, "Europe/Paris"),
            Actor = actor,
            Description = description,
            Outcome = outcome,
            Kind = kind,
        };

    private static RemediationIdea Idea(string id, RemediationCategory category, string text) =>
        new() { Id = Ids.NewItemId(), PostmortemId = id, Author = TestData.Alex, CreatedAt = Created, Category = category, Text = text };

    private static ContributingFactor Factor(string id, string text) =>
        new() { Id = Ids.NewItemId(), PostmortemId = id, Author = TestData.Alex, CreatedAt = Created, Text = text };

    private static Takeaway Takeaway(string id, string text) =>
        new() { Id = Ids.NewItemId(), PostmortemId = id, Author = TestData.Alex, CreatedAt = Created, Text = text };
}
