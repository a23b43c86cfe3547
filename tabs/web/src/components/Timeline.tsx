import { makeStyles, tokens } from "@fluentui/react-components";
import type React from "react";
import { formatInstant } from "../text";
import type { TimelineEntry } from "../types";

// Narrower than this, the table's six columns would not fit: each entry becomes a card of labelled fields instead.
const narrow = "@container timeline (max-width: 40rem)";

const useStyles = makeStyles({
  // The width that counts is the timeline's own, not the window's: a container query on this box.
  container: { containerType: "inline-size", containerName: "timeline" },
  // Wide: the table keeps its columns and scrolls sideways inside this box if it must; the page itself does not.
  scroller: {
    overflowX: "auto",
    maxWidth: "100%",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
    [narrow]: { overflowX: "visible", border: "none" },
  },
  table: {
    borderCollapse: "collapse",
    width: "100%",
    minWidth: "48rem",
    "& th, & td": {
      textAlign: "left",
      verticalAlign: "top",
      padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      overflowWrap: "anywhere",
    },
    "& thead th": { backgroundColor: tokens.colorNeutralBackground3, fontWeight: tokens.fontWeightSemibold },
    "& tbody th": { fontWeight: tokens.fontWeightRegular },
    // Narrow: one card per entry, its fields one under the other, each with its label; empty fields are left out.
    [narrow]: {
      minWidth: 0,
      display: "block",
      "& thead": { display: "none" },
      "& tbody": { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
      "& tr": {
        display: "block",
        border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
        borderRadius: tokens.borderRadiusMedium,
        backgroundColor: tokens.colorNeutralBackground1,
      },
      "& th, & td": { display: "block", borderBottom: "none", padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}` },
      "& tbody th": { fontWeight: tokens.fontWeightSemibold, backgroundColor: tokens.colorNeutralBackground3, whiteSpace: "normal" },
      "& td:empty": { display: "none" },
    },
  },
  when: { whiteSpace: "nowrap" },
  kind: { display: "block", color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  // The column's name above each field, shown only in the narrow layout (in the table the column header says it).
  label: {
    display: "none",
    [narrow]: { display: "block", color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold },
  },
});

const kindLabels: Record<string, string> = {
  detection: "Detection",
  report: "Report",
  action: "Action",
  communication: "Communication",
  customerImpact: "Customer impact",
  other: "Other",
};

export function sortByTime(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((e, i) => ({ e, i, t: Date.parse(e.occurredAt) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i))
    .map((x) => x.e);
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const styles = useStyles();
  if (entries.length === 0) return <p>No timeline entries yet. Add them from the chat with the bot.</p>;
  const field = (label: string, value: string | null | undefined, extra?: React.ReactNode) =>
    value ? (
      <td>
        <span className={styles.label}>{label}</span>
        {value}
        {extra}
      </td>
    ) : (
      <td />
    );
  return (
    <div className={styles.container}>
      <div className={styles.scroller} role="region" aria-label="Timeline table" tabIndex={0}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Who</th>
              <th scope="col">What happened</th>
              <th scope="col">Outcome</th>
              <th scope="col">Expected</th>
              <th scope="col">Assumed</th>
            </tr>
          </thead>
          <tbody>
            {sortByTime(entries).map((e) => (
              <tr key={e.id}>
                <th scope="row" className={styles.when}>
                  <time dateTime={e.occurredAt}>{formatInstant(e.occurredAt, e.timeZone)}</time>
                  {e.kind && <span className={styles.kind}>{kindLabels[e.kind] ?? e.kind}</span>}
                </th>
                {field("Who", e.actor)}
                {field(
                  "What happened",
                  e.description,
                  e.signalsAvailable && <span className={styles.kind}>Signals available: {e.signalsAvailable}</span>,
                )}
                {field("Outcome", e.outcome)}
                {field("Expected", e.expectations)}
                {field("Assumed", e.assumptions)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
