using System.Globalization;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// The bodies of the two meetings of a postmortem, built from the postmortem as it is when the invite is sent.
/// The HTML is kept simple for Outlook (headings, paragraphs, lists, one table, inline styles only); the text mirrors
/// it. Every piece of user text is HTML-encoded, so markup or markdown typed in a card arrives as plain words; names
/// also follow the one rule for names (<see cref="SingleLineText.Name"/>), so a line break in one never adds a
/// &lt;br&gt;. The severity reads as on the cards (<see cref="SeverityLabels"/>).
/// </summary>
public static class InviteBodies
{
    /// <summary>
    /// How many timeline entries the postmortem invite shows. Each entry can hold several thousand characters, and an
    /// event body has to stay well inside what Graph and Outlook accept; the rest is one click away in the postmortem.
    /// </summary>
    public const int MaxTimelineEntries = 50;

    private static readonly (RemediationCategory Category, string Name, string Question)[] RemediationSections =
    [
        (RemediationCategory.Detect, "Detect", "How do we find this, or a problem like it, sooner, before a customer does?"),
        (RemediationCategory.React, "React", "How do we react faster and in a more organised way?"),
        (RemediationCategory.QuickFix, "Quick fix", "How do we stop the bleeding faster next time?"),
        (RemediationCategory.Prevent, "Prevent", "How do we prevent it or reduce its impact?"),
        (RemediationCategory.OtherAreasOfRisk, "Other areas of risk", "Where else do the same design assumptions or code stand?"),
    ];

    /// <summary>
    /// The postmortem meeting, the whole template of the practice: purpose, what is known, the desired outcomes, the
    /// roles, the agenda (with the expectations and assumptions of the key entries), the prime directive and the link.
    /// </summary>
    /// <param name="timeZone">The organizer's zone (IANA or Windows id): every time in the body is shown in it.</param>
    /// <param name="earlier">Earlier postmortems that match this one ("Seen before"); none or null: no such section.</param>
    public static InviteBody Postmortem(PostmortemDocument document, Uri? postmortemLink, string timeZone, Uri? pageLink = null, IReadOnlyList<EarlierPostmortem>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var postmortem = document.Postmortem;
        string zone = TimeZones.IsKnown(timeZone) ? timeZone : "UTC";
        var body = new BodyWriter();

        body.Heading(1, postmortem.Title);
        body.Paragraph(
            "This is a blameless review of the incident. We will go through what happened together and agree on "
            + "changes to our systems, tools and processes, so it is less likely, and less painful, next time.");

        body.Heading(2, "What we know so far");
        body.LabelledLine("Summary", Or(postmortem.Summary, "Not written yet."));
        body.LabelledLine("Customer impact", Or(postmortem.CustomerImpact, "Not written yet."));
        if (postmortem.Severity != Severity.NotSet)
        {
            body.LabelledLine("Severity", SeverityLabels.Label(postmortem.Severity));
        }

        TimeLine(body, "Started", postmortem.StartedAt, zone);
        TimeLine(body, "Detected", postmortem.DetectedAt, zone);
        TimeLine(body, "Mitigated", postmortem.MitigatedAt, zone);
        if (!string.IsNullOrWhiteSpace(postmortem.ReportedBy))
        {
            body.LabelledLine("Reported by", postmortem.ReportedBy);
        }

        DesiredOutcomes(body);
        Roles(body, postmortem);

        body.Heading(2, "Agenda");
        EventRecap(body, document, zone);
        Discussion(body, document);
        KeyEntries(body, document, zone);
        RemediationIdeas(body, document);
        Actions(body, document);
        Takeaways(body, document);
        SeenBeforeAgenda.Section(body, earlier, "What did we learn then, and what is different this time?");

        PrimeDirective(body);
        body.Heading(2, "What blameless means here");
        body.Paragraph(Practice.BlamelessNote);
        Link(body, postmortemLink, pageLink);
        return body.Build();
    }

    /// <summary>The follow-up progress meeting: the open actions (overdue ones marked), how many are closed, the link.</summary>
    public static InviteBody FollowUp(PostmortemDocument document, Uri? postmortemLink, DateOnly today, Uri? pageLink = null, IReadOnlyList<EarlierPostmortem>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = new BodyWriter();

        body.Heading(1, "Follow-up: " + document.Postmortem.Title);
        body.Paragraph(
            "A short check on the actions from our postmortem. For each open action, the owner says where it stands "
            + "and what would help. If a date no longer works, we pick a new one together.");

        var open = document.Actions
            .Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress)
            .OrderBy(a => a.DueDate ?? DateOnly.MaxValue)
            .ThenBy(a => a.Title, StringComparer.CurrentCulture)
            .ToList();

        body.Heading(2, "Open actions");
        if (open.Count == 0)
        {
            body.Paragraph("No open actions. Thank you, everyone.");
        }
        else
        {
            body.Table(
                ["Action", "Owner", "Due", "Status"],
                open.Select(a => (IReadOnlyList<Cell>)
                [
                    new(a.Title),
                    new(a.Owner is null ? "No owner yet" : SingleLineText.Name(a.Owner.DisplayName, "No owner yet")),
                    new(DueText(a.DueDate, today), Emphasis: IsOverdue(a, today)),
                    new(StatusText(a.Status)),
                ]).ToList());
        }

        int done = document.Actions.Count(a => a.Status == ActionStatus.Done);
        int wontDo = document.Actions.Count(a => a.Status == ActionStatus.WontDo);
        body.Paragraph(string.Create(CultureInfo.InvariantCulture, $"Already closed: {done} done, {wontDo} won't do."));
        SeenBeforeAgenda.Section(body, earlier, "Did the actions taken after them help, and do ours cover what keeps coming back?");

        PrimeDirective(body);
        Link(body, postmortemLink, pageLink);
        return body.Build();
    }

    private static void EventRecap(BodyWriter body, PostmortemDocument document, string zone)
    {
        body.Heading(3, "1. Event recap");
        body.Paragraph("What happened, in time order, and the effects we saw.");
        if (document.Timeline.Count == 0)
        {
            body.Paragraph("The timeline is empty so far. We will build it together at the start of the meeting.");
            return;
        }

        var entries = TimelineClock.InOrder(document.Timeline).ToList();
        body.Table(
            ["Time (" + zone + ")", "Who", "What happened", "Outcome"],
            entries.Take(MaxTimelineEntries).Select(e => (IReadOnlyList<Cell>)
            [
                new(FormatTime(e.OccurredAt, zone)),
                new(e.Actor),
                new(e.Description),
                new(e.Outcome ?? string.Empty),
            ]).ToList());

        int more = entries.Count - MaxTimelineEntries;
        if (more > 0)
        {
            body.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"{more} more timeline {(more == 1 ? "entry is" : "entries are")} in the postmortem."));
        }
    }

    private static void Discussion(BodyWriter body, PostmortemDocument document)
    {
        body.Heading(3, "2. Discussion");
        body.Paragraph(
            "At each step: what did we expect, and what did we assume? Which signals were there, and which were missing? "
            + "We keep what we knew at the time apart from what we know now. Then we ask the 5 whys.");
        if (document.Whys.Count == 0)
        {
            body.Paragraph("No 5 whys written yet; we will ask them together.");
        }

        foreach (var chain in document.Whys)
        {
            body.LabelledLine("Problem", chain.Problem);
            body.NumberedList(chain.Whys.Select(w => "Why? " + w).ToList());
        }

        if (document.ContributingFactors.Count > 0)
        {
            body.Paragraph("Contributing factors noted so far:");
            body.BulletList(document.ContributingFactors.Select(f => f.Text).ToList());
        }

        AnalysisAgenda.Prompts(body, document);
    }

    /// <summary>How many timeline entries' expectations and assumptions the invite quotes; the rest are in the postmortem.</summary>
    public const int MaxKeyEntries = 15;

    /// <summary>What the meeting is for, as the practice puts it.</summary>
    private static void DesiredOutcomes(BodyWriter body)
    {
        body.Heading(2, "Desired outcomes");
        body.BulletList(
        [
            "A shared understanding of what happened, as people saw it at the time.",
            "The contributing factors: incidents rarely have a single cause, and a person is never one.",
            "Actions that change the system (a tool, a signal, a process, a default), each with an owner and a due date. \"Be more careful\" is not an action.",
            "A progress meeting a few weeks later, to see where the actions stand.",
        ]);
    }

    private static void Roles(BodyWriter body, Core.Postmortems.Postmortem postmortem)
    {
        body.Heading(2, "Roles");
        body.LabelledLine("Facilitator", SingleLineText.Name(postmortem.Facilitator.DisplayName, "Someone"));
        body.LabelledLine("Scribe", postmortem.Scribe is { } scribe ? SingleLineText.Name(scribe.DisplayName, "Someone") : "Not named yet");
        if (postmortem.IncidentCommander is { } commander)
        {
            body.LabelledLine("Incident commander", SingleLineText.Name(commander.DisplayName, "Someone"));
        }
    }

    /// <summary>The key entries: those where the timeline recorded what people expected and assumed at the time.</summary>
    private static void KeyEntries(BodyWriter body, PostmortemDocument document, string zone)
    {
        var key = TimelineClock.InOrder(document.Timeline)
            .Where(e => !string.IsNullOrWhiteSpace(e.Expectations) || !string.IsNullOrWhiteSpace(e.Assumptions))
            .ToList();
        body.Heading(3, "Expectations and assumptions at the key moments");
        if (key.Count == 0)
        {
            body.Paragraph("None recorded yet: we will ask at each step what people expected and assumed.");
            return;
        }

        foreach (var entry in key.Take(MaxKeyEntries))
        {
            body.LabelledLine(FormatTime(entry.OccurredAt, zone), SingleLineText.Name(entry.Actor, "Someone") + ": " + entry.Description);
            var lines = new List<string>();
            if (!string.IsNullOrWhiteSpace(entry.Expectations))
            {
                lines.Add("Expected: " + entry.Expectations);
            }

            if (!string.IsNullOrWhiteSpace(entry.Assumptions))
            {
                lines.Add("Assumed: " + entry.Assumptions);
            }

            body.BulletList(lines);
        }

        int more = key.Count - MaxKeyEntries;
        if (more > 0)
        {
            body.Paragraph(string.Create(CultureInfo.InvariantCulture, $"{more} more in the postmortem."));
        }
    }

    private static void RemediationIdeas(BodyWriter body, PostmortemDocument document)
    {
        body.Heading(3, "3. Remediation ideas");
        foreach (var (category, name, question) in RemediationSections)
        {
            body.LabelledLine(name, question);
            var ideas = document.Ideas.Where(i => i.Category == category).Select(i => i.Text).ToList();
            if (ideas.Count == 0)
            {
                body.BulletList(["No ideas yet."]);
            }
            else
            {
                body.BulletList(ideas);
            }
        }
    }

    private static void Actions(BodyWriter body, PostmortemDocument document)
    {
        body.Heading(3, "4. Actions");
        body.Paragraph(
            "Each action is a change to a system, a process, a tool or a signal, with one owner and a due date "
            + "before we close the meeting.");
        if (document.Actions.Count == 0)
        {
            body.Paragraph("No actions yet.");
            return;
        }

        body.BulletList(document.Actions
            .OrderBy(a => a.DueDate ?? DateOnly.MaxValue)
            .Select(a => string.Create(CultureInfo.InvariantCulture,
                $"{a.Title} (owner: {(a.Owner is null ? "not chosen yet" : SingleLineText.Name(a.Owner.DisplayName, "not chosen yet"))}; due: {a.DueDate?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "no date yet"}; {StatusText(a.Status).ToLowerInvariant()})"))
            .ToList());
    }

    private static void Takeaways(BodyWriter body, PostmortemDocument document)
    {
        body.Heading(3, "5. Takeaways");
        body.Paragraph("What did each of us learn?");
        if (document.Takeaways.Count > 0)
        {
            body.BulletList(document.Takeaways.Select(t => t.Text).ToList());
        }
    }

    private static void PrimeDirective(BodyWriter body)
    {
        body.Heading(2, "Our prime directive");
        body.Quote(Practice.PrimeDirective, Practice.PrimeDirectiveAttribution);
    }

    /// <summary>
    /// The chat link, and the postmortem's own page (…/tab/postmortems/&lt;id&gt;, which the Outlook task pane reads to
    /// know which postmortem a meeting belongs to).
    /// </summary>
    private static void Link(BodyWriter body, Uri? link, Uri? pageLink)
    {
        if (BodyWriter.IsWebLink(link))
        {
            body.Link("Open the postmortem in Teams", link!);
        }

        if (BodyWriter.IsWebLink(pageLink))
        {
            body.Link("The postmortem's page: timeline, ideas and actions", pageLink!);
        }
    }

    private static void TimeLine(BodyWriter body, string label, DateTimeOffset? at, string zone)
    {
        if (at is { } value)
        {
            body.LabelledLine(label, FormatTime(value, zone) + " (" + zone + ")");
        }
    }

    private static string FormatTime(DateTimeOffset instant, string zone)
    {
        var local = TimeZones.InZone(instant, zone);
        return local.ToString("ddd d MMM yyyy, ", CultureInfo.InvariantCulture) + TimelineClock.Format(local);
    }

    private static bool IsOverdue(ActionItem action, DateOnly today) => action.DueDate is { } due && due < today;

    private static string DueText(DateOnly? due, DateOnly today) => due switch
    {
        null => "No date yet",
        { } d when d < today => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture) + " (overdue)",
        { } d => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
    };

    private static string StatusText(ActionStatus status) => status switch
    {
        ActionStatus.Open => "Open",
        ActionStatus.InProgress => "In progress",
        ActionStatus.Done => "Done",
        ActionStatus.WontDo => "Won't do",
        _ => status.ToString(),
    };

    private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
