import { Badge, Button, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { useServices } from "../context";
import type { LabelsInUse, Postmortem } from "../types";

const useStyles = makeStyles({
  labels: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "36rem" },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
});

const split = (text: string) =>
  text
    .split(/[,;]/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** The postmortem's services and tags, and a small form to change them (If-Match with the postmortem's version). */
export function LabelsEditor({ postmortem, onSaved }: { postmortem: Postmortem; onSaved: (labels: LabelsInUse, etag: string | null) => void }) {
  const styles = useStyles();
  const { api } = useServices();
  const [editing, setEditing] = useState(false);
  const [services, setServices] = useState("");
  const [tags, setTags] = useState("");
  const [inUse, setInUse] = useState<LabelsInUse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const servicesList = useId();
  const tagsList = useId();
  const current = { services: postmortem.services ?? [], tags: postmortem.tags ?? [] };

  const edit = () => {
    setServices(current.services.join(", "));
    setTags(current.tags.join(", "));
    setProblem(null);
    setEditing(true);
    api.labelsInUse().then(setInUse, () => setInUse({ services: [], tags: [] }));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!postmortem.etag) return;
    setSaving(true);
    setProblem(null);
    try {
      const saved = await api.saveLabels(postmortem.id, postmortem.etag, { services: split(services), tags: split(tags) });
      onSaved({ services: saved.services, tags: saved.tags }, saved.etag);
      setEditing(false);
    } catch (error) {
      if (error instanceof ApiError && error.kind === "conflict") setProblem("Someone changed this postmortem since you opened it. Reload the page to see their version, then try again.");
      else if (error instanceof ApiError && error.kind === "validation")
        setProblem(Object.values(error.problem?.errors ?? {}).flat().join(" ") || "Some values need a change. Nothing was saved.");
      else setProblem("Not saved: the service didn't answer. Please try again in a minute.");
    } finally {
      setSaving(false);
    }
  };

  if (!editing)
    return (
      <div className={styles.labels}>
        {current.services.length + current.tags.length === 0 && <span>No services or tags yet.</span>}
        {current.services.map((s) => (
          <Badge key={`s-${s}`} appearance="tint" color="informative">
            {s}
          </Badge>
        ))}
        {current.tags.map((t) => (
          <Badge key={`t-${t}`} appearance="outline" color="subtle">
            {t}
          </Badge>
        ))}
        {postmortem.etag && (
          <Button size="small" onClick={edit}>
            Change services and tags
          </Button>
        )}
      </div>
    );

  return (
    <form className={styles.form} onSubmit={(e) => void save(e)} aria-label="Services and tags">
      {problem && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      <Field label="Services or components affected" hint="Separated by commas">
        <Input value={services} onChange={(_, d) => setServices(d.value)} input={{ list: servicesList }} maxLength={420} />
      </Field>
      <datalist id={servicesList}>{inUse?.services.map((s) => <option key={s} value={s} />)}</datalist>
      <Field label="Tags" hint="Separated by commas">
        <Input value={tags} onChange={(_, d) => setTags(d.value)} input={{ list: tagsList }} maxLength={420} />
      </Field>
      <datalist id={tagsList}>{inUse?.tags.map((t) => <option key={t} value={t} />)}</datalist>
      {inUse && inUse.services.length + inUse.tags.length > 0 && <span>Used before: {[...inUse.services, ...inUse.tags].slice(0, 12).join(", ")}</span>}
      <div className={styles.buttons}>
        <Button type="submit" appearance="primary" disabled={saving}>
          Save
        </Button>
        <Button type="button" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
