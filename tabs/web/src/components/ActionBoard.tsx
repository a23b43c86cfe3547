import { makeStyles, tokens } from "@fluentui/react-components";
import { statusLabels, statusOrder } from "../text";
import type { Action } from "../types";
import { ActionCard } from "./ActionCard";

const useStyles = makeStyles({
  board: {
    display: "grid",
    // Four columns where there is room; at Teams' narrow widths they stack.
    gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 15rem), 1fr))",
    gap: tokens.spacingHorizontalM,
    alignItems: "start",
  },
  column: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  empty: { margin: 0, color: tokens.colorNeutralForeground3 },
});

export function ActionBoard({ actions, onChange }: { actions: Action[]; onChange: (a: Action) => void }) {
  const styles = useStyles();
  return (
    <div className={styles.board}>
      {statusOrder.map((status) => {
        const inColumn = actions.filter((a) => a.status === status);
        const headingId = `board-${status}`;
        return (
          <section key={status} className={styles.column} aria-labelledby={headingId} data-testid={`column-${status}`}>
            <h3 id={headingId} className={styles.heading}>
              {statusLabels[status]} ({inColumn.length})
            </h3>
            {inColumn.length === 0 ? (
              <p className={styles.empty}>None</p>
            ) : (
              <ul className={styles.list}>
                {inColumn.map((a) => (
                  <li key={a.id}>
                    <ActionCard action={a} onChange={onChange} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
