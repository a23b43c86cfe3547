import { makeStyles, tokens } from "@fluentui/react-components";
import { formatInstant } from "../text";
import type { TimelineEntry } from "../types";

const useStyles = makeStyles({
  // The table keeps its columns and scrolls sideways inside this box at narrow widths; the page itself does not.
  scroller: {
    overflowX: "auto",
    maxWidth: "100%",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
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
  },
  when: { whiteSpace: "nowrap" },
  kind: { display: "block", color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
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
  return (
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
              <td>{e.actor}</td>
              <td>
                {e.description}
                {e.signalsAvailable && <span className={styles.kind}>Signals available: {e.signalsAvailable}</span>}
              </td>
              <td>{e.outcome}</td>
              <td>{e.expectations}</td>
              <td>{e.assumptions}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
