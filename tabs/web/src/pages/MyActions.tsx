import { Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ActionCard } from "../components/ActionCard";
import { LoadProblem } from "../components/Problem";
import { useLoad } from "../components/useLoad";
import { useServices } from "../context";
import type { Action } from "../types";
import { PageHeading } from "./PageHeading";

const useStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 18rem), 1fr))",
    gap: tokens.spacingHorizontalM,
  },
});

/** Overdue first, then the nearest due date, then those without one. The API sorts the same way; this keeps it after edits. */
export function sortMine(actions: Action[]): Action[] {
  return [...actions].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999") || a.title.localeCompare(b.title),
  );
}

export function MyActions() {
  const styles = useStyles();
  const { api } = useServices();
  const [load, reload, set] = useLoad(() => api.myActions(), [api]);

  return (
    <>
      <PageHeading>My actions</PageHeading>
      {load.state === "loading" && <Spinner label="Loading your actions…" />}
      {load.state === "error" && <LoadProblem error={load.error} onRetry={reload} />}
      {load.state === "ready" && load.data.length === 0 && <p>You have no open actions. Nice work.</p>}
      {load.state === "ready" && load.data.length > 0 && (
        <ul className={styles.list} aria-label="Your open actions, overdue first">
          {sortMine(load.data).map((a) => (
            <li key={a.id}>
              <ActionCard
                action={a}
                showPostmortem
                onChange={(changed) => set(load.data.map((x) => (x.id === changed.id ? changed : x)))}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
