import { DataVizPalette, getColorFromToken, GroupedVerticalBarChart, VerticalBarChart, VerticalStackedBarChart } from "@fluentui/react-charts";
import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import type { OverviewPeriod } from "../api";
import { ChartTable } from "../components/ChartTable";
import { LoadProblem, problemText } from "../components/Problem";
import { useLoad } from "../components/useLoad";
import { useAnnounce } from "../components/memory";
import { useServices } from "../context";
import { Link, routes } from "../router";
import { categoryLabels, severityLabel, todayIso } from "../text";
import type { OverviewFigures, Severity } from "../types";
import { PageHeading } from "./PageHeading";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  form: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 28rem), 1fr))", gap: tokens.spacingHorizontalXL },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, "& li": { overflowWrap: "anywhere", marginBottom: tokens.spacingVerticalS } },
});

const severities: Severity[] = ["sev1", "sev2", "sev3", "sev4", "notSet"];
// One colour per series across all bars, so a legend names each series once (the library's own palette, as its
// defaults use it).
const severityColors: Record<Severity, string> = {
  sev1: getColorFromToken(DataVizPalette.highError),
  sev2: getColorFromToken(DataVizPalette.warning),
  sev3: getColorFromToken(DataVizPalette.color1),
  sev4: getColorFromToken(DataVizPalette.color2),
  notSet: getColorFromToken(DataVizPalette.disabled),
};
// Bars spread over the chart's width (the default packs 16 px bars in the middle, so long labels overlap and are
// dropped), with labels wrapped rather than cut.
const barLayout = { barWidth: "auto", maxBarWidth: 56, wrapXAxisLables: true } as const;
const measureLabels: Record<string, string> = {
  detection: "Start to detection",
  mitigation: "Start to mitigation",
  meeting: "Start to postmortem meeting",
  publication: "Start to publication",
};

function daysBefore(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Open actions that are not overdue (the overdue ones are their own part of the bar). */
function openOnTime(m: { actions: number; done: number; overdue: number }): number {
  return Math.max(0, m.actions - m.done - m.overdue);
}

export function hours(minutes: number | null): string {
  if (minutes === null) return "no data";
  return minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** How the practice is doing over a period, optionally for one service or tag: charts, each with its table. */
export function OverviewPage() {
  const styles = useStyles();
  const { api } = useServices();
  const today = todayIso();
  const [draft, setDraft] = useState<OverviewPeriod>({ from: daysBefore(today, 89), to: today, label: "" });
  const [period, setPeriod] = useState<OverviewPeriod>(draft);
  const [load, reload] = useLoad(() => api.overview(period), [api, period]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPeriod(draft);
  };

  return (
    <div className={styles.page}>
      <PageHeading>How our postmortems are going</PageHeading>
      <form className={styles.form} onSubmit={apply} aria-label="Period and service">
        <Field label="From">
          <Input type="date" value={draft.from} onChange={(_, d) => setDraft({ ...draft, from: d.value })} />
        </Field>
        <Field label="To">
          <Input type="date" value={draft.to} onChange={(_, d) => setDraft({ ...draft, to: d.value })} />
        </Field>
        <Field label="Service or tag (optional)">
          <Input value={draft.label} maxLength={40} onChange={(_, d) => setDraft({ ...draft, label: d.value })} />
        </Field>
        <Button type="submit" appearance="primary">
          Show
        </Button>
        <CsvLink period={period} />
      </form>
      {load.state === "loading" && <Spinner label="Adding up the figures…" />}
      {load.state === "error" && <LoadProblem error={load.error} onRetry={reload} />}
      {load.state === "ready" && <Figures figures={load.data} />}
    </div>
  );
}

function Figures({ figures }: { figures: OverviewFigures }) {
  const styles = useStyles();
  const members = figures.members.slice(0, 12);
  return (
    <>
      <p role="status">
        {figures.postmortems === 1 ? "1 postmortem" : `${figures.postmortems} postmortems`} from {figures.from} to {figures.to}
        {figures.label ? ` for “${figures.label}”` : ""}.
      </p>
      <div className={styles.grid}>
        <ChartTable
          id="per-month"
          title="Postmortems per month, by severity"
          columns={["Month", ...severities.map(severityLabel), "All"]}
          rows={figures.months.map((m) => [m.month, ...severities.map((s) => m.bySeverity[s] ?? 0), m.total])}
          chart={
            <VerticalStackedBarChart
              chartTitle="Postmortems per month, by severity"
              height={260}
              {...barLayout}
              data={figures.months.map((m) => ({
                xAxisPoint: m.month,
                chartData: severities.filter((s) => (m.bySeverity[s] ?? 0) > 0).map((s) => ({ legend: severityLabel(s), data: m.bySeverity[s], color: severityColors[s] })),
              }))}
            />
          }
        />
        <ChartTable
          id="medians"
          title="Median time from the start of the incident"
          columns={["From the start to", "Median", "Postmortems with both times"]}
          rows={figures.medians.map((m) => [measureLabels[m.measure] ?? m.measure, hours(m.medianMinutes), m.postmortems])}
          chart={
            <VerticalBarChart
              chartTitle="Median minutes from the start of the incident"
              height={260}
              {...barLayout}
              hideLegend
              data={figures.medians.filter((m) => m.medianMinutes !== null).map((m) => ({ x: measureLabels[m.measure] ?? m.measure, y: m.medianMinutes ?? 0, legend: measureLabels[m.measure] ?? m.measure }))}
            />
          }
        />
        <ChartTable
          id="members"
          title="Actions by team member"
          columns={["Member", "Actions", "Done", "Open", "Overdue", "Completion"]}
          rows={members.map((m) => [m.name, m.actions, m.done, openOnTime(m), m.overdue, `${Math.round(m.completionRate * 100)} %`])}
          chart={
            <VerticalStackedBarChart
              chartTitle="Actions by team member: done, open and overdue"
              height={260}
              {...barLayout}
              data={members.map((m) => ({
                xAxisPoint: m.name,
                chartData: [
                  { legend: "Done", data: m.done, color: getColorFromToken(DataVizPalette.success) },
                  { legend: "Open", data: openOnTime(m), color: getColorFromToken(DataVizPalette.color1) },
                  { legend: "Overdue", data: m.overdue, color: getColorFromToken(DataVizPalette.error) },
                ].filter((part) => part.data > 0),
              }))}
            />
          }
        />
        <ChartTable
          id="factors"
          title="Contributing factors by category"
          columns={["Category", "Factors"]}
          rows={figures.factorCategories.map((c) => [c.category, c.factors])}
          chart={
            <VerticalBarChart
              chartTitle="Contributing factors by category"
              height={260}
              {...barLayout}
              hideLegend
              data={figures.factorCategories.map((c) => ({ x: c.category, y: c.factors, legend: c.category }))}
            />
          }
        />
        <ChartTable
          id="kinds"
          title="Remediation ideas and actions by kind"
          note={
            figures.quickFixesDominate ? (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  Quick fixes are more than half of the ideas and actions. They stop the bleeding; consider also how to detect, react and prevent.
                </MessageBarBody>
              </MessageBar>
            ) : undefined
          }
          columns={["Kind", "Ideas", "Actions"]}
          rows={figures.kinds.filter((k) => k.ideas + k.actions > 0).map((k) => [categoryLabels[k.kind], k.ideas, k.actions])}
          chart={
            <GroupedVerticalBarChart
              chartTitle="Remediation ideas and actions by kind"
              height={260}
              {...barLayout}
              data={figures.kinds.filter((k) => k.ideas + k.actions > 0).map((k) => ({
                name: categoryLabels[k.kind],
                series: [
                  { key: "ideas", data: k.ideas, legend: "Ideas", color: getColorFromToken(DataVizPalette.color3) },
                  { key: "actions", data: k.actions, legend: "Actions", color: getColorFromToken(DataVizPalette.color1) },
                ],
              }))}
            />
          }
        />
      </div>
      <section aria-labelledby="recurring-heading">
        <h2 id="recurring-heading">Conditions that keep coming back</h2>
        {figures.recurringFactors.length === 0 ? (
          <p>No contributing factor recurred in this period.</p>
        ) : (
          <ul className={styles.list}>
            {figures.recurringFactors.map((r) => (
              <li key={r.text + r.postmortems.map((p) => p.id).join()}>
                “{r.text}” in {r.postmortems.length} postmortems:{" "}
                {r.postmortems.map((p, i) => (
                  <span key={p.id}>
                    {i > 0 && ", "}
                    <Link href={routes.postmortem(p.id)}>{p.title}</Link>
                  </span>
                ))}
                . Why: {r.reason}.
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function CsvLink({ period }: { period: OverviewPeriod }) {
  const { api, host } = useServices();
  const announce = useAnnounce();
  const [problem, setProblem] = useState<string | null>(null);
  const download = async () => {
    setProblem(null);
    try {
      const url = URL.createObjectURL(await api.downloadOverviewCsv(period));
      const a = document.createElement("a");
      a.href = url;
      a.download = `postmortem-overview-${period.from}-to-${period.to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce("Download started.");
    } catch (error) {
      const text = `The download didn't work. ${problemText(error, host.inTeams).text}`;
      setProblem(text);
      announce(text);
    }
  };
  return (
    <>
      <Button type="button" onClick={() => void download()}>
        Download the figures (CSV)
      </Button>
      {problem && (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
