import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { hours } from "../pages/OverviewPage";
import { figures, renderApp, tableRows } from "./helpers";

// jsdom has no layout, so the real charts draw little here (the Chromium tests look at them). Each chart is replaced
// by one that writes out the data it was given, to compare with the table beside it.
vi.mock(import("@fluentui/react-charts"), async (importOriginal) => {
  const chart = ({ chartTitle, data }: { chartTitle?: string; data?: unknown }) => <pre data-chart={chartTitle}>{JSON.stringify(data)}</pre>;
  return { ...(await importOriginal()), VerticalBarChart: chart, VerticalStackedBarChart: chart, GroupedVerticalBarChart: chart };
});

function chartData<T>(title: string): T {
  const pre = document.querySelector(`pre[data-chart="${title}"]`);
  if (!pre) throw new Error(`No chart "${title}".`);
  return JSON.parse(pre.textContent ?? "") as T;
}

type Stacked = { xAxisPoint: string; chartData: { legend: string; data: number }[] }[];
type Grouped = { name: string; series: { key: string; data: number }[] }[];
type Bars = { x: string; y: number }[];

describe("the overview's charts and tables", () => {
  it("hold the same numbers", async () => {
    renderApp("/tab/overview", { "GET /api/overview": { body: figures() } });
    await screen.findByText(/3 postmortems from/);

    const [monthHead, ...months] = tableRows("Postmortems per month, by severity");
    const stacked = chartData<Stacked>("Postmortems per month, by severity");
    expect(stacked.map((m) => m.xAxisPoint)).toEqual(months.map((r) => r[0]));
    for (const [i, row] of months.entries()) {
      // Every severity the chart stacks is in the table with the same count; the ones it leaves out are 0 there.
      const table = Object.fromEntries(monthHead.slice(1, -1).map((severity, j) => [severity, Number(row[j + 1])]));
      const drawn = Object.fromEntries(stacked[i].chartData.map((p) => [p.legend, p.data]));
      expect({ ...Object.fromEntries(Object.keys(table).map((s) => [s, 0])), ...drawn }).toEqual(table);
      expect(stacked[i].chartData.reduce((sum, p) => sum + p.data, 0)).toBe(Number(row.at(-1)));
    }

    const medians = chartData<Bars>("Median minutes from the start of the incident");
    const medianRows = tableRows("Median time from the start of the incident").slice(1).filter((r) => r[1] !== "no data");
    expect(medians.map((b) => [b.x, hours(b.y)])).toEqual(medianRows.map((r) => [r[0], r[1]]));

    // Each member's bar stacks done, open and overdue (parts with none left out); the table has all three.
    const members = chartData<Stacked>("Actions by team member: done, open and overdue");
    const part = (m: Stacked[number], legend: string) => String(m.chartData.find((p) => p.legend === legend)?.data ?? 0);
    expect(members.map((m) => [m.xAxisPoint, part(m, "Done"), part(m, "Open"), part(m, "Overdue")])).toEqual(
      tableRows("Actions by team member").slice(1).map((r) => [r[0], r[2], r[3], r[4]]),
    );

    const factors = chartData<Bars>("Contributing factors by category");
    expect(factors.map((b) => [b.x, String(b.y)])).toEqual(tableRows("Contributing factors by category").slice(1));

    const kinds = chartData<Grouped>("Remediation ideas and actions by kind");
    expect(kinds.map((k) => [k.name, ...k.series.map((s) => String(s.data))])).toEqual(tableRows("Remediation ideas and actions by kind").slice(1));
  });
});
