using System.Globalization;
using System.Text;

namespace Postmortems.Load;

/// <summary>The figures as a Markdown table and as an SVG bar chart (throughput, and p50 / p95 / p99 latency).</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<ScenarioResult> results, ScenarioResult ceiling)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(ceiling);
        var text = new StringBuilder();
        text.AppendLine("| scenario | users | requests/s | p50 ms | p95 ms | p99 ms | failed | vs. bare upserts |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Append(ceiling))
        {
            string ratio = r == ceiling ? "(the ceiling)" : (r.Throughput / ceiling.Throughput).ToString("P0", Invariant);
            text.AppendLine(Invariant, $"| {r.Name} | {r.Concurrency} | {r.Throughput:0} | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {r.Failures} | {ratio} |");
        }

        return text.ToString();
    }

    /// <summary>Two panels: requests per second, and latency percentiles, one group of bars per scenario.</summary>
    public static string Svg(IReadOnlyList<ScenarioResult> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        const int width = 900, panelHeight = 260, left = 70, top = 40, barGap = 18;
        int groupWidth = (width - left - 20) / Math.Max(1, all.Count);
        var svg = new StringBuilder();
        svg.AppendLine(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{(panelHeight * 2) + 120}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");

        double maxThroughput = all.Max(r => r.Throughput) * 1.15;
        Panel(svg, "Requests per second", top, maxThroughput, "/s");
        for (int i = 0; i < all.Count; i++)
        {
            double h = all[i].Throughput / maxThroughput * (panelHeight - 40);
            double x = left + (i * groupWidth) + barGap;
            double y = top + panelHeight - 20 - h;
            svg.AppendLine(Invariant, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{groupWidth - (2 * barGap)}\" height=\"{h:0.#}\" fill=\"#5b5fc7\"/>");
            svg.AppendLine(Invariant, $"<text x=\"{x + ((groupWidth - (2 * barGap)) / 2.0):0.#}\" y=\"{y - 4:0.#}\" text-anchor=\"middle\">{all[i].Throughput:0}</text>");
        }

        int top2 = top + panelHeight + 40;
        double maxLatency = all.Max(r => r.Percentile(99)) * 1.15;
        Panel(svg, "Latency (ms): p50, p95, p99", top2, maxLatency, " ms");
        string[] colours = ["#9ea2ff", "#5b5fc7", "#2b2f8f"];
        double[] percentiles = [50, 95, 99];
        for (int i = 0; i < all.Count; i++)
        {
            double barWidth = (groupWidth - (2 * barGap)) / 3.0;
            for (int p = 0; p < 3; p++)
            {
                double value = all[i].Percentile(percentiles[p]);
                double h = value / maxLatency * (panelHeight - 40);
                double x = left + (i * groupWidth) + barGap + (p * barWidth);
                double y = top2 + panelHeight - 20 - h;
                svg.AppendLine(Invariant, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\" fill=\"{colours[p]}\"/>");
                svg.AppendLine(Invariant, $"<text x=\"{x + (barWidth / 2):0.#}\" y=\"{y - 4:0.#}\" text-anchor=\"middle\" font-size=\"10\">{value:0.#}</text>");
            }
        }

        for (int i = 0; i < all.Count; i++)
        {
            double x = left + (i * groupWidth) + (groupWidth / 2.0);
            svg.AppendLine(Invariant, $"<text x=\"{x:0.#}\" y=\"{top2 + panelHeight + 5}\" text-anchor=\"middle\">{Escape(all[i].Name)}</text>");
            svg.AppendLine(Invariant, $"<text x=\"{x:0.#}\" y=\"{top + panelHeight + 5}\" text-anchor=\"middle\">{Escape(all[i].Name)}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();

        void Panel(StringBuilder s, string title, int y0, double max, string unit)
        {
            s.AppendLine(Invariant, $"<text x=\"{left}\" y=\"{y0 - 12}\" font-size=\"14\" font-weight=\"bold\">{title}</text>");
            s.AppendLine(Invariant, $"<line x1=\"{left}\" y1=\"{y0 + panelHeight - 20}\" x2=\"{width - 20}\" y2=\"{y0 + panelHeight - 20}\" stroke=\"#888\"/>");
            s.AppendLine(Invariant, $"<text x=\"{left - 6}\" y=\"{y0 + 12}\" text-anchor=\"end\" font-size=\"10\">{max:0}{unit}</text>");
        }
    }

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
