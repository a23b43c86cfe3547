import { Badge, Button, Radio, RadioGroup, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useServices } from "../context";
import { LoadProblem, fieldErrors } from "../components/Problem";
import { SearchFilters, emptySearch, isSearch, searchFields } from "../components/SearchFilters";
import { Link, routes } from "../router";
import { formatInstant, personName, severityLabel } from "../text";
import type { Page, PostmortemStatus, PostmortemSummary, SearchQuery } from "../types";
import { PageHeading } from "./PageHeading";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  item: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, overflowWrap: "anywhere" },
  meta: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  summary: { margin: 0, overflowWrap: "anywhere" },
  more: { marginTop: tokens.spacingVerticalM, display: "flex", flexDirection: "column", alignItems: "start", gap: tokens.spacingVerticalS },
});

type Filter = "all" | PostmortemStatus;

export function PostmortemList() {
  const styles = useStyles();
  const { api } = useServices();
  const [filter, setFilter] = useState<Filter>("all");
  const [items, setItems] = useState<PostmortemSummary[]>([]);
  const [continuation, setContinuation] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [search, setSearch] = useState<SearchQuery>(emptySearch);
  const [total, setTotal] = useState<number | null>(null);
  // Which list the page shows: a new filter starts a new one, and a "Load more" answer for an older one is dropped.
  const generation = useRef(0);

  // A new filter, or "Try again" on the first page, starts over from an empty, loading list; the effect below
  // then loads it.
  const startOver = () => {
    generation.current += 1;
    setLoading(true);
    setError(null);
    setItems([]);
    setContinuation(null);
  };
  const changeFilter = (next: Filter) => {
    startOver();
    setFilter(next);
  };
  const changeSearch = (next: SearchQuery) => {
    startOver();
    setSearch(next);
  };

  // The plain newest-first list comes from the list route; any search, filter or other sort from the search route.
  const fetchPage = async (token: string | null): Promise<Page<PostmortemSummary> & { total: number | null }> => {
    const status = filter === "all" ? undefined : filter;
    if (!isSearch(search)) return { ...(await api.listPostmortems(status, token)), total: null };
    const page = await api.search({ ...search, status: status ?? "" }, token);
    return { items: page.items.map((i) => ({ ...i, summary: i.summary ?? "", createdAt: i.date })), continuation: page.continuation, total: page.total };
  };
  const retryFirstPage = () => {
    startOver();
    setAttempt((a) => a + 1);
  };

  // The first page, again whenever the filter changes.
  useEffect(() => {
    let current = true;
    fetchPage(null).then(
      (page) => {
        if (!current) return;
        setTotal(page.total);
        setItems(page.items);
        setContinuation(page.continuation);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // fetchPage reads only api, filter and search, listed here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, filter, search, attempt]);

  const loadMore = async () => {
    if (!continuation) return;
    const mine = generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(continuation);
      if (mine !== generation.current) return;
      setItems((previous) => [...previous, ...page.items.filter((p) => !previous.some((q) => q.id === p.id))]);
      setContinuation(page.continuation);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  return (
    <>
      <PageHeading>Postmortems</PageHeading>
      <SearchFilters onSearch={changeSearch} errors={fieldErrors(error, searchFields)} />
      <RadioGroup layout="horizontal" value={filter} onChange={(_, d) => changeFilter(d.value as Filter)} aria-label="Show postmortems">
        <Radio value="all" label="All" />
        <Radio value="open" label="Open" />
        <Radio value="closed" label="Closed" />
      </RadioGroup>

      {total !== null && !loading && (
        <p role="status">{total === 1 ? "1 postmortem found." : `${total} postmortems found.`}</p>
      )}
      {items.length > 0 && (
        <ul className={styles.list} aria-label={isSearch(search) ? "Postmortems found" : "Postmortems, newest first"}>
          {items.map((p) => (
            <li key={p.id} className={styles.item}>
              <h2 className={styles.title}>
                <Link href={routes.postmortem(p.id)}>{p.title}</Link>
              </h2>
              <div className={styles.meta}>
                <Badge appearance="tint" color={p.status === "open" ? "brand" : "informative"}>
                  {p.status === "open" ? "Open" : "Closed"}
                </Badge>
                <Badge appearance="outline" color={p.severity === "sev1" || p.severity === "sev2" ? "danger" : "informative"}>
                  {severityLabel(p.severity)}
                </Badge>
                {[...(p.services ?? []), ...(p.tags ?? [])].map((l) => (
                  <Badge key={l} appearance="outline" color="subtle">
                    {l}
                  </Badge>
                ))}
                {p.hasOverdueActions && (
                  <Badge appearance="tint" color="warning">
                    Overdue actions
                  </Badge>
                )}
                <Text size={200}>
                  Opened <time dateTime={p.createdAt}>{formatInstant(p.createdAt)}</time>
                  {p.facilitator && ` · Facilitator: ${personName(p.facilitator)}`}
                </Text>
              </div>
              {p.summary && <p className={styles.summary}>{p.summary}</p>}
            </li>
          ))}
        </ul>
      )}

      {!loading && !error && items.length === 0 && (
        <p>
          {isSearch(search)
            ? "No postmortems match this search. Try fewer words or filters."
            : filter === "closed"
              ? "No closed postmortems yet."
              : filter === "open"
                ? "No open postmortems."
                : "No postmortems yet. Start one by chatting with the bot."}
        </p>
      )}

      <div className={styles.more}>
        {error !== null && <LoadProblem error={error} onRetry={items.length === 0 ? retryFirstPage : () => void loadMore()} fieldsShown={searchFields} />}
        {loading && <Spinner size="small" label="Loading postmortems…" />}
        {!loading && continuation && <Button onClick={() => void loadMore()}>Load more</Button>}
      </div>
    </>
  );
}
