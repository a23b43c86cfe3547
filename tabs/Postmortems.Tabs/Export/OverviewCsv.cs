using System.Globalization;
using System.Text;
using Postmortems.Core.Overview;
using Postmortems.Core.Postmortems;

namespace Postmortems.Tabs.Export;

/// <summary>The overview's figures as one CSV file: a "section" column says which chart or table each row belongs to.</summary>
public static class OverviewCsv
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Write(OverviewFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var csv = new StringBuilder();
        CsvText.Line(csv, "section", "item", "measure", "value");
        CsvText.Line(csv, "period", figures.From.ToString("yyyy-MM-dd", Invariant), "to", figures.To.ToString("yyyy-MM-dd", Invariant));
        CsvText.Line(csv, "period", "service or tag", "filter", figures.Label ?? string.Empty);
        CsvText.Line(csv, "postmortems", "all", "count", N(figures.Postmortems));
        foreach (var month in figures.Months)
        {
            foreach (var (severity, count) in month.BySeverity)
            {
                CsvText.Line(csv, "postmortems per month", month.Month, SeverityLabels.Label(severity), N(count));
            }
        }

        foreach (var median in figures.Medians)
        {
            CsvText.Line(csv, "median minutes from start", median.Measure, "minutes", median.MedianMinutes?.ToString("0.#", Invariant) ?? string.Empty);
        }

        foreach (var member in figures.Members)
        {
            CsvText.Line(csv, "actions by member", member.Name, "actions", N(member.Actions));
            CsvText.Line(csv, "actions by member", member.Name, "done", N(member.Done));
            CsvText.Line(csv, "actions by member", member.Name, "overdue", N(member.Overdue));
        }

        foreach (var category in figures.FactorCategories)
        {
            CsvText.Line(csv, "contributing factors by category", category.Category, "factors", N(category.Factors));
        }

        foreach (var kind in figures.Kinds)
        {
            CsvText.Line(csv, "ideas and actions by kind", kind.Kind.ToString(), "ideas", N(kind.Ideas));
            CsvText.Line(csv, "ideas and actions by kind", kind.Kind.ToString(), "actions", N(kind.Actions));
        }

        foreach (var recurring in figures.RecurringFactors)
        {
            CsvText.Line(csv, "recurring factors", recurring.Text, "postmortems", N(recurring.Postmortems.Count));
        }

        return csv.ToString();
    }

    private static string N(int value) => value.ToString(Invariant);
}
