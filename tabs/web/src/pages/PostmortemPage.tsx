import { Badge, Link as FluentLink, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type MouseEvent } from "react";
import { ActionBoard } from "../components/ActionBoard";
import { AuthoredList, Factors, WhatIsMissing } from "../components/Analysis";
import { LoadProblem, problemText } from "../components/Problem";
import { Timeline } from "../components/Timeline";
import { LabelsEditor } from "../components/LabelsEditor";
import { SeenBeforeList } from "../components/SeenBeforeList";
import { useLoad } from "../components/useLoad";
import { useAnnounce } from "../components/memory";
import { useServices } from "../context";
import { categoryLabels, categoryOrder, categoryQuestions, formatInstant, personName, severityLabel, stageLabels } from "../text";
import type { Action, Note, Postmortem } from "../types";
import { PageHeading } from "./PageHeading";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  badges: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  facts: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    "& dt": { fontWeight: tokens.fontWeightSemibold },
    "& dd": { margin: 0, overflowWrap: "anywhere" },
    "@media (max-width: 480px)": { gridTemplateColumns: "1fr", "& dd": { marginBottom: tokens.spacingVerticalS } },
  },
  text: { margin: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, "& li": { overflowWrap: "anywhere", whiteSpace: "pre-wrap" } },
  muted: { margin: 0, color: tokens.colorNeutralForeground3 },
  ideaGroups: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 16rem), 1fr))", gap: tokens.spacingHorizontalL },
  export: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export function PostmortemPage({ id }: { id: string }) {
  const styles = useStyles();
  const { api } = useServices();
  const [load, reload, set] = useLoad(() => api.getPostmortem(id), [api, id]);

  if (load.state === "loading") return <Spinner label="Loading the postmortem…" />;
  if (load.state === "error")
    return (
      <>
        <PageHeading>Postmortem</PageHeading>
        <LoadProblem error={load.error} onRetry={reload} />
      </>
    );

  const pm = load.data;
  const updateAction = (changed: Action) => set({ ...pm, actions: pm.actions.map((a) => (a.id === changed.id ? changed : a)) });

  return (
    <div className={styles.page}>
      <div className={styles.section}>
        <PageHeading title={pm.title}>{pm.title}</PageHeading>
        <div className={styles.badges}>
          <Badge appearance="tint" color={pm.status === "open" ? "brand" : "informative"}>
            {pm.lifecycle ? stageLabels[pm.lifecycle.stage] : pm.status === "open" ? "Open" : "Closed"}
          </Badge>
          <Badge appearance="outline" color={pm.severity === "sev1" || pm.severity === "sev2" ? "danger" : "informative"}>
            {severityLabel(pm.severity)}
          </Badge>
        </div>
      </div>
      <section className={styles.section} aria-labelledby="missing-heading">
        <h2 id="missing-heading" className={styles.h2}>
          What is missing
        </h2>
        <WhatIsMissing missing={pm.missing ?? []} />
      </section>

      <section className={styles.section} aria-labelledby="summary-heading">
        <h2 id="summary-heading" className={styles.h2}>
          Summary
        </h2>
        {pm.summary ? <p className={styles.text}>{pm.summary}</p> : <p className={styles.muted}>No summary yet.</p>}
        <dl className={styles.facts}>
          <Fact term="Started" value={formatInstant(pm.startedAt)} />
          <Fact term="Detected" value={formatInstant(pm.detectedAt)} />
          <Fact term="Mitigated" value={formatInstant(pm.mitigatedAt)} />
          <Fact term="Reported by" value={personName(pm.reportedBy)} />
          <Fact term="Facilitator" value={personName(pm.facilitator)} />
          {pm.lifecycle?.scribe && <Fact term="Scribe" value={personName(pm.lifecycle.scribe)} />}
          {pm.lifecycle?.incidentCommander && <Fact term="Incident commander" value={personName(pm.lifecycle.incidentCommander)} />}
          {pm.lifecycle?.publishedAt && (
            <Fact term="Published" value={`${formatInstant(pm.lifecycle.publishedAt)} by ${personName(pm.lifecycle.publishedBy)}`} />
          )}
        </dl>
        <ExportLink postmortem={pm} />
      </section>

      <section className={styles.section} aria-labelledby="labels-heading">
        <h2 id="labels-heading" className={styles.h2}>
          Services and tags
        </h2>
        <LabelsEditor postmortem={pm} onSaved={(labels, etag) => set({ ...pm, ...labels, etag })} />
      </section>

      <section className={styles.section} aria-labelledby="seen-before-heading">
        <h2 id="seen-before-heading" className={styles.h2}>
          Seen before
        </h2>
        <SeenBeforeList postmortemId={pm.id} />
      </section>

      <section className={styles.section} aria-labelledby="impact-heading">
        <h2 id="impact-heading" className={styles.h2}>
          Impact
        </h2>
        {pm.customerImpact ? <p className={styles.text}>{pm.customerImpact}</p> : <p className={styles.muted}>No customer impact written yet.</p>}
      </section>

      <section className={styles.section} aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className={styles.h2}>
          Timeline
        </h2>
        <Timeline entries={pm.timeline} />
      </section>

      <section className={styles.section} aria-labelledby="factors-heading">
        <h2 id="factors-heading" className={styles.h2}>
          Contributing factors
        </h2>
        <Factors factors={pm.contributingFactors} timeline={pm.timeline} />
      </section>

      <section className={styles.section} aria-labelledby="wentwell-heading">
        <h2 id="wentwell-heading" className={styles.h2}>
          What went well
        </h2>
        <AuthoredList items={pm.wentWell ?? []} empty="Nothing noted yet." />
      </section>

      <section className={styles.section} aria-labelledby="lucky-heading">
        <h2 id="lucky-heading" className={styles.h2}>
          Where we got lucky
        </h2>
        <AuthoredList items={pm.lucky ?? []} empty="Nothing noted yet." />
      </section>

      <section className={styles.section} aria-labelledby="whys-heading">
        <h2 id="whys-heading" className={styles.h2}>
          5 whys
        </h2>
        {pm.whys.length === 0 && <p className={styles.muted}>No 5 whys yet.</p>}
        {pm.whys.map((w) => (
          <div key={w.id} className={styles.section}>
            <h3 className={styles.h3}>{w.problem}</h3>
            <ol className={styles.list}>
              {w.whys.map((why, i) => (
                <li key={i}>{why}</li>
              ))}
            </ol>
          </div>
        ))}
      </section>

      <section className={styles.section} aria-labelledby="ideas-heading">
        <h2 id="ideas-heading" className={styles.h2}>
          Remediation ideas
        </h2>
        <div className={styles.ideaGroups}>
          {categoryOrder.map((category) => {
            const ideas = pm.ideas.filter((i) => i.category === category);
            return (
              <section key={category} className={styles.section} aria-labelledby={`ideas-${category}`}>
                <h3 id={`ideas-${category}`} className={styles.h3}>
                  {categoryLabels[category]}
                </h3>
                <p className={styles.muted}>{categoryQuestions[category]}</p>
                <NoteList items={ideas} empty="No ideas yet." />
              </section>
            );
          })}
        </div>
      </section>

      <section className={styles.section} aria-labelledby="actions-heading">
        <h2 id="actions-heading" className={styles.h2}>
          Actions
        </h2>
        {pm.actions.length === 0 ? <p className={styles.muted}>No actions yet.</p> : <ActionBoard actions={pm.actions} onChange={updateAction} />}
      </section>

      <section className={styles.section} aria-labelledby="takeaways-heading">
        <h2 id="takeaways-heading" className={styles.h2}>
          Takeaways
        </h2>
        <NoteList items={pm.takeaways} empty="No takeaways yet." />
      </section>
    </div>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value || "Not known yet"}</dd>
    </>
  );
}

function NoteList({ items, empty }: { items: Note[]; empty: string }) {
  const styles = useStyles();
  if (items.length === 0) return empty ? <p className={styles.muted}>{empty}</p> : null;
  return (
    <ul className={styles.list}>
      {items.map((n) => (
        <li key={n.id}>{n.text}</li>
      ))}
    </ul>
  );
}

/**
 * A plain link to the API's Markdown export. Inside Teams the API needs the SSO token, which a link cannot carry,
 * so there the file is fetched with the token and handed to the browser as a download.
 */
function ExportLink({ postmortem }: { postmortem: Postmortem }) {
  const styles = useStyles();
  const { api, host } = useServices();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fileName = `${postmortem.title.replace(/[^\p{L}\p{N} _-]+/gu, "").trim().slice(0, 80) || "postmortem"}.md`;

  const download = async (e: MouseEvent<HTMLAnchorElement>) => {
    if (!host.inTeams) return;
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const blob = await api.downloadExport(postmortem.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce("Download started.");
    } catch (error) {
      const p = problemText(error, host.inTeams);
      setProblem(`The download didn't work. ${p.text}`);
      announce(`The download didn't work. ${p.text}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.export}>
      <FluentLink href={api.exportUrl(postmortem.id)} download={fileName} onClick={(e: MouseEvent<HTMLAnchorElement>) => void download(e)}>
        Download as Markdown
      </FluentLink>
      {busy && <Text size={200}>Preparing the file…</Text>}
      {problem && <Text size={200}>{problem}</Text>}
    </div>
  );
}
