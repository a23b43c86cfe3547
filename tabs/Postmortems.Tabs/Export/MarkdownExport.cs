using System.Globalization;
using System.Text;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;

namespace Postmortems.Tabs.Export;

/// <summary>
/// A whole postmortem as one Markdown document, in the order the practice uses: summary, impact, timeline,
/// contributing factors (by category, each with its state), what went well, where we got lucky, 5 whys, the five
/// remediation questions (one heading level below "Remediation ideas"), actions, takeaways. All user text goes through <see cref="MarkdownText"/>; the severity reads as on the cards
/// (<see cref="SeverityLabels"/>).
/// </summary>
public static class MarkdownExport
{
    private static readonly (RemediationCategory Category, string Heading)[] Questions =
    [
        (RemediationCategory.Detect, "Detect"),
        (RemediationCategory.React, "React"),
        (RemediationCategory.QuickFix, "Quick fix"),
        (RemediationCategory.Prevent, "Prevent"),
        (RemediationCategory.OtherAreasOfRisk, "Other areas of risk"),
    ];

    public static string Write(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        var md = new StringBuilder();
        md.Append("# ").AppendLine(MarkdownText.Inline(p.Title)).AppendLine();

        md.AppendLine("## Summary").AppendLine();
        if (!string.IsNullOrWhiteSpace(p.Summary))
        {
            md.AppendLine(MarkdownText.Block(p.Summary)).AppendLine();
        }

        Field(md, "Severity", SeverityLabels.Label(p.Severity));
        Field(md, "Status", PostmortemRules.Describe(p.Status));
        Field(md, "Started", Instant(p.StartedAt));
        Field(md, "Detected", Instant(p.DetectedAt));
        Field(md, "Mitigated", Instant(p.MitigatedAt));
        Field(md, "Reported by", p.ReportedBy is null ? null : MarkdownText.Inline(p.ReportedBy));
        Field(md, "Facilitator", Name(p.Facilitator));
        Field(md, "Scribe", p.Scribe is null ? null : Name(p.Scribe));
        Field(md, "Incident commander", p.IncidentCommander is null ? null : Name(p.IncidentCommander));
        Field(md, "Published", p.PublishedAt is { } published && p.Status.IsFinished() ? $"on {Instant(published)} by {Name(p.PublishedBy ?? p.Facilitator)}" : null);
        md.AppendLine();

        md.AppendLine("## Impact").AppendLine();
        md.AppendLine(string.IsNullOrWhiteSpace(p.CustomerImpact) ? "Not written yet." : MarkdownText.Block(p.CustomerImpact)).AppendLine();

        md.AppendLine("## Timeline").AppendLine();
        if (document.Timeline.Count == 0)
        {
            md.AppendLine("No entries yet.").AppendLine();
        }

        foreach (var entry in document.Timeline)
        {
            TimelineEntry(md, entry);
        }

        AnalysisSections.Write(md, document);

        md.AppendLine("## 5 whys").AppendLine();
        if (document.Whys.Count == 0)
        {
            md.AppendLine("None yet.").AppendLine();
        }

        foreach (var chain in document.Whys)
        {
            md.Append("### ").AppendLine(MarkdownText.Inline(chain.Problem)).AppendLine();
            for (int i = 0; i < chain.Whys.Count; i++)
            {
                md.Append(CultureInfo.InvariantCulture, $"{i + 1}. ").AppendLine(MarkdownText.Block(chain.Whys[i], "   "));
            }

            md.AppendLine().Append("*Written by ").Append(Name(chain.Author)).AppendLine("*").AppendLine();
        }

        var ideas = document.Ideas.ToLookup(i => i.Category);
        md.AppendLine("## Remediation ideas").AppendLine();
        foreach (var (category, heading) in Questions)
        {
            md.Append("### ").AppendLine(heading).AppendLine();
            List(md, ideas[category].Select(i => MarkdownText.Block(i.Text, "  ") + " (" + Name(i.Author) + ")"));
        }

        md.AppendLine("## Actions").AppendLine();
        List(md, document.Actions.Select(Action));

        md.AppendLine("## Takeaways").AppendLine();
        List(md, document.Takeaways.Select(t => MarkdownText.Block(t.Text, "  ") + " (" + Name(t.Author) + ")"));

        return md.ToString().TrimEnd() + "\n";
    }

    /// <summary>A download name made only of safe characters: postmortem-&lt;title&gt;-&lt;date&gt;.md.</summary>
    public static string FileName(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var slug = new StringBuilder();
        foreach (char c in postmortem.Title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 60)
            {
                break;
            }
        }

        string name = slug.ToString().Trim('-');
        return string.Create(CultureInfo.InvariantCulture, $"postmortem-{(name.Length == 0 ? postmortem.Id : name)}-{postmortem.CreatedAt.UtcDateTime:yyyy-MM-dd}.md");
    }

    internal static string EntryHeading(TimelineEntry entry) =>
        entry.OccurredAt.ToString("yyyy-MM-dd ", CultureInfo.InvariantCulture) + Core.Timeline.TimelineClock.Format(entry.OccurredAt) + " (" + MarkdownText.Inline(entry.TimeZone) + ") — " + MarkdownText.Inline(entry.Actor);

    private static void TimelineEntry(StringBuilder md, TimelineEntry entry)
    {
        md.Append("### ").AppendLine(EntryHeading(entry)).AppendLine();
        md.AppendLine(MarkdownText.Block(entry.Description)).AppendLine();
        Field(md, "Kind", KindName(entry.Kind));
        Field(md, "Outcome", entry.Outcome is null ? null : MarkdownText.Block(entry.Outcome, "  "));
        Field(md, "Expectations", entry.Expectations is null ? null : MarkdownText.Block(entry.Expectations, "  "));
        Field(md, "Assumptions", entry.Assumptions is null ? null : MarkdownText.Block(entry.Assumptions, "  "));
        Field(md, "Signals available", entry.SignalsAvailable is null ? null : MarkdownText.Block(entry.SignalsAvailable, "  "));
        Field(md, "Added by", Name(entry.Author));
        md.AppendLine();
    }

    private static string Action(ActionItem action)
    {
        string owner = action.Owner is null ? "no owner" : Name(action.Owner);
        string due = action.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no due date";
        string status = action.Status switch
        {
            ActionStatus.InProgress => "in progress",
            ActionStatus.Done => "done",
            ActionStatus.WontDo => "won't do",
            _ => "open",
        };
        return $"{MarkdownText.Block(action.Title, "  ")}  \n  Owner: {owner}; due {due}; {status}";
    }

    private static void Field(StringBuilder md, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            md.Append("- **").Append(label).Append(":** ").AppendLine(value);
        }
    }

    internal static void List(StringBuilder md, IEnumerable<string> items)
    {
        bool any = false;
        foreach (string item in items)
        {
            md.Append("- ").AppendLine(item);
            any = true;
        }

        md.AppendLine(any ? string.Empty : "None yet.\n");
    }

    internal static string Name(Person person) => MarkdownText.Inline(person.DisplayName);

    private static string? Instant(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string KindName(TimelineEntryKind kind) => kind switch
    {
        TimelineEntryKind.CustomerImpact => "customer impact",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
