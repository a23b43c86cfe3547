import { Badge, makeStyles, tokens } from "@fluentui/react-components";
import { formatInstant, personName } from "../text";
import type { Factor, FactorState, Missing, Note, TimelineEntry } from "../types";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, "& li": { overflowWrap: "anywhere", whiteSpace: "pre-wrap" } },
  factors: { margin: 0, padding: 0, listStyle: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  factor: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  line: { margin: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
  muted: { margin: 0, color: tokens.colorNeutralForeground3, overflowWrap: "anywhere" },
  missing: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalXXL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorPaletteYellowBackground1,
    color: tokens.colorNeutralForeground1,
    "& li": { overflowWrap: "anywhere" },
  },
});

const stateLabels: Record<FactorState, string> = { open: "Open", addressed: "Addressed", acceptedRisk: "Accepted risk" };
const stateColors: Record<FactorState, "warning" | "success" | "informative"> = { open: "warning", addressed: "success", acceptedRisk: "informative" };

/** The contributing factors by category, each with its state, why a risk is accepted, and the entries it shows up in. */
export function Factors({ factors, timeline }: { factors: Factor[]; timeline: TimelineEntry[] }) {
  const styles = useStyles();
  if (factors.length === 0) return <p className={styles.muted}>No contributing factors yet.</p>;
  const groups = new Map<string, Factor[]>();
  for (const f of factors) {
    const key = f.categoryTitle ?? "No category yet";
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }

  return (
    <>
      {[...groups.entries()].map(([title, group], g) => (
        <section key={title} className={styles.section} aria-labelledby={`factors-${g}`}>
          <h3 id={`factors-${g}`} className={styles.h3}>
            {title}
          </h3>
          <ul className={styles.factors}>
            {group.map((f) => (
              <li key={f.id} className={styles.factor}>
                <p className={styles.line}>{f.text}</p>
                <div>
                  <Badge appearance="tint" color={stateColors[f.state]}>
                    {stateLabels[f.state]}
                  </Badge>
                </div>
                {f.state === "acceptedRisk" && f.riskReason && <p className={styles.muted}>Accepted because: {f.riskReason}</p>}
                <EntryLinks ids={f.entryIds} timeline={timeline} />
                {f.author && <p className={styles.muted}>Added by {personName(f.author)}</p>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function EntryLinks({ ids, timeline }: { ids: string[]; timeline: TimelineEntry[] }) {
  const styles = useStyles();
  const entries = timeline.filter((e) => ids.includes(e.id));
  if (entries.length === 0) return null;
  return <p className={styles.muted}>Shows up in: {entries.map((e) => `${formatInstant(e.occurredAt)} ${e.description}`).join("; ")}</p>;
}

/** A short list with each item's author. */
export function AuthoredList({ items, empty }: { items: Note[]; empty: string }) {
  const styles = useStyles();
  if (items.length === 0) return <p className={styles.muted}>{empty}</p>;
  return (
    <ul className={styles.list}>
      {items.map((n) => (
        <li key={n.id}>
          {n.text}
          {n.author && <span className={styles.muted}> ({personName(n.author)})</span>}
        </li>
      ))}
    </ul>
  );
}

/** What the analysis still needs: shown near the top, so it reads at a glance. */
export function WhatIsMissing({ missing }: { missing: Missing[] }) {
  const styles = useStyles();
  if (missing.length === 0) return <p className={styles.muted}>Nothing is missing from the analysis.</p>;
  return (
    <ul className={styles.missing}>
      {missing.map((m, i) => (
        <li key={`${m.kind}-${m.itemId ?? i}`}>{m.text}</li>
      ))}
    </ul>
  );
}
