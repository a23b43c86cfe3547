using System.Text;
using Postmortems.Core.Analysis;
using Postmortems.Core.Postmortems;

namespace Postmortems.Tabs.Export;

/// <summary>
/// The analysis sections of the export: contributing factors by category (each with its state, the reason a risk is
/// accepted and the timeline entries it shows up in), what went well, and where we got lucky. User text goes through
/// <see cref="MarkdownText"/>.
/// </summary>
internal static class AnalysisSections
{
    public static void Write(StringBuilder md, PostmortemDocument document)
    {
        md.AppendLine("## Contributing factors").AppendLine();
        if (document.ContributingFactors.Count == 0)
        {
            md.AppendLine("None yet.").AppendLine();
        }

        var entries = document.Timeline.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var group in document.ContributingFactors.GroupBy(f => f.Category).OrderBy(g => g.Key ?? (FactorCategory)int.MaxValue))
        {
            md.Append("### ").AppendLine(group.Key is { } c ? FactorCategories.TitleOf(c) : "No category yet").AppendLine();
            MarkdownExport.List(md, group.Select(f =>
            {
                var line = new StringBuilder(MarkdownText.Block(f.Text, "  "));
                line.Append(" (").Append(MarkdownExport.Name(f.Author)).Append(")  \n  State: ").Append(FactorRules.StateTitle(FactorRules.StateOf(f, document.Actions)));
                if (f.Decision == FactorDecision.AcceptedRisk && !string.IsNullOrWhiteSpace(f.RiskReason))
                {
                    line.Append("; accepted because: ").Append(MarkdownText.Block(f.RiskReason, "  "));
                }

                var addressedBy = FactorRules.AddressedBy(f, document.Actions).Select(a => MarkdownText.Inline(a.Title)).ToList();
                if (addressedBy.Count > 0)
                {
                    line.Append("; addressed by: ").Append(string.Join("; ", addressedBy));
                }

                var shows = f.EntryIds.Where(entries.ContainsKey).Select(id => MarkdownExport.EntryHeading(entries[id])).ToList();
                if (shows.Count > 0)
                {
                    line.Append("  \n  Shows up in: ").Append(string.Join("; ", shows));
                }

                return line.ToString();
            }));
        }

        md.AppendLine("## What went well").AppendLine();
        MarkdownExport.List(md, document.WentWell.Select(w => MarkdownText.Block(w.Text, "  ") + " (" + MarkdownExport.Name(w.Author) + ")"));

        md.AppendLine("## Where we got lucky").AppendLine();
        MarkdownExport.List(md, document.Lucky.Select(l => MarkdownText.Block(l.Text, "  ") + " (" + MarkdownExport.Name(l.Author) + ")"));
    }
}
