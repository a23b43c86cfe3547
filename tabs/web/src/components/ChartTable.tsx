import { makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500 },
  chart: { minWidth: 0, overflowX: "auto" },
  wrap: { overflowX: "auto" },
  table: {
    borderCollapse: "collapse",
    "& th, & td": { textAlign: "left", padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
    "& td.number, & th.number": { textAlign: "right", fontVariantNumeric: "tabular-nums" },
  },
});

/**
 * A chart and its table: the same numbers as a table, for screen readers, keyboard users and anyone who prefers to
 * read them. The table is always shown, under the chart; a null chart (nothing to draw, e.g. no known times) leaves
 * only the table, never an empty picture.
 */
export function ChartTable({ id, title, chart, columns, rows, note }: { id: string; title: string; chart: ReactNode; columns: string[]; rows: (string | number)[][]; note?: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.figure} aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`} className={styles.h2}>
        {title}
      </h2>
      {note}
      {rows.length === 0 ? (
        <p>Nothing to show for this period.</p>
      ) : (
        <>
          {/* The chart is the picture; the table below holds the same numbers for screen readers and keyboards. The
              chart library's own focus sentinels sit inside aria-hidden parts (axe: aria-hidden-focus), so the
              picture is inert: out of the tab order and the accessibility tree, never half in them. */}
          {chart !== null && (
            <div className={styles.chart} data-testid={`${id}-chart`} inert>
              {chart}
            </div>
          )}
          <div className={styles.wrap} role="region" aria-label={`${title}: table`} tabIndex={0}>
            <table className={styles.table} aria-labelledby={`${id}-heading`}>
              <thead>
                <tr>
                  {columns.map((c, i) => (
                    <th key={c} scope="col" className={i > 0 ? "number" : undefined}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={String(row[0])}>
                    {row.map((cell, i) =>
                      i === 0 ? (
                        <th key={i} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={i} className="number">
                          {cell}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
