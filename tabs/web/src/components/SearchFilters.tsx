import { Button, Checkbox, Field, Input, SearchBox, Select, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useState, type FormEvent } from "react";
import { useServices } from "../context";
import type { LabelsInUse, SearchQuery, SearchSort, Severity } from "../types";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
  field: { minWidth: "9rem", flex: "1 1 9rem" },
});

/** The filters this form shows, named as the API names them in a 400's errors. */
export const searchFields = ["q", "label", "severity", "from", "to", "sort", "overdue"] as const;

type Errors = Partial<Record<string, string>>;

/** A Field's props that show the API's message for the field, if any. */
const marked = (errors: Errors, field: (typeof searchFields)[number]) => ({
  validationMessage: errors[field],
  validationState: errors[field] ? ("error" as const) : ("none" as const),
});

export const emptySearch: SearchQuery = { q: "", severity: "", label: "", from: "", to: "", overdue: false, sort: "newest" };

/** True when the query asks for more than the plain newest-first list (which the list route answers). */
export function isSearch(query: SearchQuery): boolean {
  return Boolean(query.q || query.severity || query.label || query.from || query.to || query.overdue || (query.sort && query.sort !== "newest"));
}

/** The search box and filters; applied with the Search button (or Enter), so typing does not fire a request per key. */
export function SearchFilters({ onSearch, errors = {} }: { onSearch: (query: SearchQuery) => void; errors?: Errors }) {
  const styles = useStyles();
  const { api } = useServices();
  const [query, setQuery] = useState<SearchQuery>(emptySearch);
  const [labels, setLabels] = useState<LabelsInUse | null>(null);
  const listId = useId();
  const set = (change: Partial<SearchQuery>) => setQuery((q) => ({ ...q, ...change }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(query);
  };
  // Suggestions are fetched when someone reaches for the field, not with every list.
  const suggest = () => {
    if (labels === null) api.labelsInUse().then(setLabels, () => setLabels({ services: [], tags: [] }));
  };

  return (
    <form role="search" aria-label="Search postmortems" className={styles.form} onSubmit={submit}>
      <div className={styles.row}>
        <Field label="Search title, summary, factors and takeaways" className={styles.field} style={{ flexGrow: 3 }} {...marked(errors, "q")}>
          <SearchBox value={query.q} onChange={(_, d) => set({ q: d.value })} maxLength={200} />
        </Field>
        <Field label="Service or tag" className={styles.field} {...marked(errors, "label")}>
          <Input value={query.label} onChange={(_, d) => set({ label: d.value })} onFocus={suggest} maxLength={40} input={{ list: listId }} />
        </Field>
        <datalist id={listId}>
          {[...(labels?.services ?? []), ...(labels?.tags ?? [])].map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
      </div>
      <div className={styles.row}>
        <Field label="Severity" className={styles.field} {...marked(errors, "severity")}>
          <Select value={query.severity} onChange={(_, d) => set({ severity: d.value as "" | Severity })}>
            <option value="">Any</option>
            <option value="sev1">Sev 1</option>
            <option value="sev2">Sev 2</option>
            <option value="sev3">Sev 3</option>
            <option value="sev4">Sev 4</option>
            <option value="notSet">Not set</option>
          </Select>
        </Field>
        <Field label="From" className={styles.field} {...marked(errors, "from")}>
          <Input type="date" value={query.from} onChange={(_, d) => set({ from: d.value })} />
        </Field>
        <Field label="To" className={styles.field} {...marked(errors, "to")}>
          <Input type="date" value={query.to} onChange={(_, d) => set({ to: d.value })} />
        </Field>
        <Field label="Sort by" className={styles.field} {...marked(errors, "sort")}>
          <Select value={query.sort} onChange={(_, d) => set({ sort: d.value as SearchSort })}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="severity">Most severe first</option>
            <option value="title">Title</option>
          </Select>
        </Field>
        <Field {...marked(errors, "overdue")}>
          <Checkbox label="Has overdue actions" checked={query.overdue} onChange={(_, d) => set({ overdue: d.checked === true })} />
        </Field>
        <Button type="submit" appearance="primary">
          Search
        </Button>
        <Button
          type="button"
          onClick={() => {
            setQuery(emptySearch);
            onSearch(emptySearch);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
