import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import { ActionCard } from "../components/ActionCard";
import { LoadProblem } from "../components/Problem";
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
  more: { marginTop: tokens.spacingVerticalM, display: "flex", flexDirection: "column", alignItems: "start", gap: tokens.spacingVerticalS },
});

/**
 * Overdue first, then the nearest due date, then those without one; equal dates by priority (high first), then by when
 * they were created. The API
 * sorts the same way (pages follow on from each other); this keeps the order after edits.
 */
const priorityRank = { high: 0, medium: 1, low: 2 } as const;

export function sortMine(actions: Action[]): Action[] {
  return [...actions].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999") ||
      priorityRank[a.priority ?? "medium"] - priorityRank[b.priority ?? "medium"] ||
      Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
      `${a.postmortemId}|${a.id}`.localeCompare(`${b.postmortemId}|${b.id}`),
  );
}

/**
 * The caller's open actions, a page at a time: the next page loads when the end of the list scrolls into view, and
 * the "Load more" button does the same for keyboards, screen readers and browsers without IntersectionObserver.
 */
export function MyActions() {
  const styles = useStyles();
  const { api } = useServices();
  const [items, setItems] = useState<Action[]>([]);
  const [continuationToken, setContinuationToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  // "Try again" on the first page starts over from an empty, loading list; the effect below then loads it.
  const startOver = () => {
    setLoading(true);
    setError(null);
    setItems([]);
    setContinuationToken(null);
    setAttempt((n) => n + 1);
  };

  // The first page, again after "Try again".
  useEffect(() => {
    let current = true;
    busy.current = true;
    api.myActions(null).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setContinuationToken(page.continuationToken);
        setLoading(false);
        busy.current = false;
      },
      (e: unknown) => {
        if (!current) return;
        setError(e);
        setLoading(false);
        busy.current = false;
      },
    );
    return () => {
      current = false;
    };
  }, [api, attempt]);

  const loadMore = useCallback(async () => {
    if (!continuationToken || busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(null);
    try {
      const page = await api.myActions(continuationToken);
      setItems((previous) => [...previous, ...page.items.filter((a) => !previous.some((b) => b.id === a.id))]);
      setContinuationToken(page.continuationToken);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
      busy.current = false;
    }
  }, [api, continuationToken]);

  // Loads the next page when the end of the list comes near; stops after an error until the person tries again.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !continuationToken || error !== null || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    }, { rootMargin: "0px 0px 400px 0px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [continuationToken, error, loadMore]);

  return (
    <>
      <PageHeading>My actions</PageHeading>
      {!loading && error === null && items.length === 0 && <p>You have no open actions. Nice work.</p>}
      {items.length > 0 && (
        <ul className={styles.list} aria-label="Your open actions, overdue first">
          {sortMine(items).map((a) => (
            <li key={a.id}>
              <ActionCard
                action={a}
                showPostmortem
                onChange={(changed) => setItems((previous) => previous.map((x) => (x.id === changed.id ? changed : x)))}
              />
            </li>
          ))}
        </ul>
      )}
      <div ref={sentinel} data-testid="my-actions-end" />
      <div className={styles.more}>
        {error !== null && <LoadProblem error={error} onRetry={items.length === 0 ? startOver : () => void loadMore()} />}
        {loading && <Spinner size="small" label={items.length === 0 ? "Loading your actions…" : "Loading more actions…"} />}
        {!loading && continuationToken && <Button onClick={() => void loadMore()}>Load more</Button>}
      </div>
    </>
  );
}
