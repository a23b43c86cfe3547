import {
  Badge,
  Button,
  Card,
  Field,
  Input,
  Link as ExternalLink,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useId, useRef, type FormEvent } from "react";
import { ApiError } from "../api";
import { useServices } from "../context";
import { Link, routes } from "../router";
import { categoryLabels, conflictMessage, formatDate, priorityLabels, safeWorkItemLink, statusLabels, statusOrder } from "../text";
import type { Action, ActionChanges, ActionStatus, Person } from "../types";
import { problemText } from "./Problem";
import { useAnnounce, useRememberedState } from "./memory";

const useStyles = makeStyles({
  card: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  overdue: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorPaletteRedBorder2}` },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  meta: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  ownerRow: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "end" },
  grow: { flexGrow: 1, minWidth: "10rem" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

interface Draft {
  status: ActionStatus;
  dueDate: string;
  ownerName: string;
  ownerId: string;
}

const toDraft = (a: Action): Draft => ({
  status: a.status,
  dueDate: a.dueDate ?? "",
  ownerName: a.owner?.name ?? "",
  ownerId: a.owner?.id ?? "",
});

/** Only what the user changed, so a retry on top of someone else's version keeps their other changes. */
function changesBetween(base: Action, draft: Draft): ActionChanges {
  const changes: ActionChanges = {};
  if (draft.status !== base.status) changes.status = draft.status;
  if ((draft.dueDate || null) !== base.dueDate) changes.dueDate = draft.dueDate || null;
  const name = draft.ownerName.trim();
  const owner: Person | null = name ? { id: draft.ownerId, name } : null;
  if ((owner?.id ?? null) !== (base.owner?.id ?? null) || (owner?.name ?? null) !== (base.owner?.name ?? null)) changes.owner = owner;
  return changes;
}

type FieldName = "status" | "dueDate" | "owner";

/** ProblemDetails errors keyed by the field, in whatever casing or path form the server uses ("DueDate", "$.owner.name"). */
function splitErrors(errors: Record<string, string[]> | undefined): { fields: Partial<Record<FieldName, string>>; other: string[] } {
  const fields: Partial<Record<FieldName, string>> = {};
  const other: string[] = [];
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const first = key.replace(/^\$\.?/, "").split(/[.[]/)[0].toLowerCase();
    const field = (["status", "duedate", "owner"] as const).find((f) => f === first);
    const text = messages.join(" ");
    if (field) fields[field === "duedate" ? "dueDate" : field] = text;
    else other.push(text);
  }
  return { fields, other };
}

interface Conflict {
  before: Action;
  current: Action;
  changes: ActionChanges;
}

interface CardState {
  editing: boolean;
  draft: Draft;
  /** The version the user's edit started from; after a 412 the current version, once they choose to save on top. */
  base: Action;
  saving: boolean;
  message: { intent: "success" | "error"; text: string } | null;
  fieldErrors: Partial<Record<FieldName, string>>;
  conflict: Conflict | null;
  /** After "done" or "won't do": the status to go back to, offered as Undo next to the message. */
  undo: { back: ActionStatus } | null;
  focus: "change" | "form" | "undo" | null;
}

const isFinished = (status: ActionStatus) => status === "done" || status === "wontDo";

export function ActionCard({ action, onChange, showPostmortem = false }: { action: Action; onChange: (a: Action) => void; showPostmortem?: boolean }) {
  const styles = useStyles();
  const { api, host, me } = useServices();
  const announce = useAnnounce();
  const id = useId();
  const titleId = `${id}-title`;
  const changeButton = useRef<HTMLButtonElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const [state, update] = useRememberedState<CardState>(`action:${action.id}`, () => ({
    editing: false,
    draft: toDraft(action),
    base: action,
    saving: false,
    message: null,
    fieldErrors: {},
    conflict: null,
    undo: null,
    focus: null,
  }));
  const { editing, draft, base, saving, message, fieldErrors, conflict, undo } = state;

  useEffect(() => {
    if (state.focus === "change") changeButton.current?.focus();
    if (state.focus === "form") firstField.current?.focus();
    if (state.focus === "undo") undoButton.current?.focus();
    if (state.focus) update({ focus: null });
  });

  const setDraft = (change: Partial<Draft>) => update((previous) => ({ draft: { ...previous.draft, ...change } }));
  const say = (intent: "success" | "error", text: string) => {
    update({ message: { intent, text } });
    announce(text);
  };

  const startEditing = () =>
    update({ editing: true, draft: toDraft(action), base: action, fieldErrors: {}, conflict: null, message: null, undo: null, focus: "form" });

  async function save(changes: ActionChanges, against: Action) {
    if (Object.keys(changes).length === 0) {
      say("success", "Nothing to save: nothing was changed.");
      return;
    }
    update({ saving: true, message: null, fieldErrors: {}, undo: null });
    try {
      const updated = await api.updateAction(against, changes);
      // Finishing an action moves it out of the working columns: offer to take it back, as the chat does.
      const finished = isFinished(updated.status) && !isFinished(against.status);
      update({
        saving: false,
        conflict: null,
        editing: false,
        base: updated,
        draft: toDraft(updated),
        undo: finished ? { back: against.status } : null,
        focus: finished ? "undo" : "change",
      });
      onChange(updated);
      const text = `Saved. “${updated.title}” is ${statusLabels[updated.status]}.`;
      update({ message: { intent: "success", text } });
      // The focus moves to Undo; the announcement says why.
      announce(finished ? `${text} Undo is next to this message.` : text);
    } catch (error) {
      update({ saving: false, editing: true });
      if (error instanceof ApiError && error.kind === "conflict" && error.problem?.current) {
        const current = error.problem.current;
        update({ conflict: { before: against, current, changes } });
        onChange(current);
        announce(`${conflictMessage(against, current)} Your change is not saved yet.`);
      } else if (error instanceof ApiError && error.kind === "conflict") {
        say("error", "Someone else changed this action. Reload the page to see their version; your changes are still here.");
      } else if (error instanceof ApiError && error.kind === "validation") {
        const { fields, other } = splitErrors(error.problem?.errors);
        update({ fieldErrors: fields });
        const general = other.join(" ") || (Object.keys(fields).length === 0 ? (error.problem?.detail ?? error.problem?.title ?? "") : "");
        say("error", `Not saved. ${general || "Please check the fields marked below."}`);
      } else if (error instanceof ApiError && (error.kind === "signIn" || error.kind === "notFound")) {
        const p = problemText(error, host.inTeams);
        say("error", `Not saved. ${p.title}. ${p.text}`);
      } else {
        say("error", "Not saved. Please try again; your changes are still here.");
      }
    }
  }

  /** Back to the status it had before "done" or "won't do", with the version the card shows (If-Match). */
  async function undoFinish() {
    if (!undo) return;
    update({ saving: true, message: null });
    try {
      const restored = await api.updateAction(action, { status: undo.back, undoFinish: true });
      update({ saving: false, undo: null, base: restored, draft: toDraft(restored), focus: "change" });
      onChange(restored);
      say("success", `Undone. “${restored.title}” is ${statusLabels[restored.status]} again.`);
    } catch (error) {
      if (error instanceof ApiError && error.kind === "conflict" && error.problem?.current) {
        const current = error.problem.current;
        update({ saving: false, undo: null, base: current, draft: toDraft(current), focus: "change" });
        onChange(current);
        say("error", `${conflictMessage(action, current)} So nothing was undone.`);
      } else if (error instanceof ApiError && error.kind === "validation") {
        update({ saving: false, undo: null, focus: "change" });
        say("error", `Not undone. ${error.problem?.errors ? Object.values(error.problem.errors).flat().join(" ") : (error.problem?.detail ?? "")}`.trim());
      } else {
        update({ saving: false, focus: "undo" });
        say("error", "Not undone. Please try again.");
      }
    }
  }

  const markDone = () => {
    update({ draft: { ...toDraft(action), status: "done" }, base: action });
    void save({ status: "done" }, action);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(changesBetween(base, draft), base);
  };

  const retryOnTop = () => {
    if (!conflict) return;
    update({ base: conflict.current });
    void save(conflict.changes, conflict.current);
  };

  const keepTheirs = () => {
    if (!conflict) return;
    update({ draft: toDraft(conflict.current), base: conflict.current, conflict: null, editing: false, focus: "change" });
    say("success", "Kept their version. Your change was not saved.");
  };

  const cancel = () => update({ editing: false, conflict: null, fieldErrors: {}, message: null, focus: "change" });

  const assignToMe = async () => {
    try {
      const who = await me();
      setDraft({ ownerName: who.name, ownerId: who.userId });
    } catch {
      say("error", "We couldn't look up who you are. Type your name instead, or try again.");
    }
  };

  const pickInTeams = async () => {
    if (!host.pickPerson) return;
    try {
      const chosen = await host.pickPerson(draft.ownerId ? { id: draft.ownerId, name: draft.ownerName } : null);
      if (chosen) setDraft({ ownerName: chosen.name, ownerId: chosen.id });
    } catch {
      say("error", "Teams could not open the people picker. Type a name instead.");
    }
  };

  const open = action.status === "open" || action.status === "inProgress";
  const workItem = safeWorkItemLink(action.workItemLink);

  return (
    <Card className={mergeClasses(styles.card, action.overdue && styles.overdue)} aria-labelledby={titleId} role="article" appearance="filled-alternative">
      <h4 id={titleId} className={styles.title}>
        {action.title}
      </h4>
      <div className={styles.meta}>
        {action.overdue && (
          <div className={styles.row}>
            <Badge color="danger" appearance="filled">
              Overdue
            </Badge>
          </div>
        )}
        <Text size={200}>{action.owner ? `Owner: ${action.owner.name}` : "No owner yet"}</Text>
        <Text size={200}>{action.dueDate ? `Due ${formatDate(action.dueDate)}${action.overdue ? " (overdue)" : ""}` : "No due date"}</Text>
        <Text size={200}>Priority: {priorityLabels[action.priority ?? "medium"]}</Text>
        {action.category && <Text size={200}>Area: {categoryLabels[action.category]}</Text>}
        {workItem && (
          <Text size={200}>
            <ExternalLink href={workItem} target="_blank" rel="noopener noreferrer" aria-describedby={titleId}>
              Open the work item
            </ExternalLink>
          </Text>
        )}
        {showPostmortem && (
          <Text size={200}>
            From <Link href={routes.postmortem(action.postmortemId)}>{action.postmortemTitle}</Link>
          </Text>
        )}
      </div>

      {!editing && (
        <div className={styles.row}>
          {open && (
            <Button appearance="primary" size="small" onClick={markDone} disabled={saving} aria-describedby={titleId}>
              {saving ? "Saving…" : "Mark done"}
            </Button>
          )}
          <Button size="small" onClick={startEditing} disabled={saving} aria-describedby={titleId} ref={changeButton}>
            Change
          </Button>
        </div>
      )}

      {editing && (
        <form className={styles.form} onSubmit={submit} aria-labelledby={titleId} noValidate>
          {conflict && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                {conflictMessage(conflict.before, conflict.current)} Your change is still here: save it on top of their version, or keep
                theirs.
              </MessageBarBody>
              <MessageBarActions>
                <Button size="small" appearance="primary" onClick={retryOnTop} disabled={saving}>
                  Save my change on top
                </Button>
                <Button size="small" onClick={keepTheirs} disabled={saving}>
                  Keep their version
                </Button>
              </MessageBarActions>
            </MessageBar>
          )}
          <Field label="Status" validationMessage={fieldErrors.status} validationState={fieldErrors.status ? "error" : "none"}>
            <Select ref={firstField} value={draft.status} onChange={(_, d) => setDraft({ status: d.value as ActionStatus })}>
              {statusOrder.map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Due date" validationMessage={fieldErrors.dueDate} validationState={fieldErrors.dueDate ? "error" : "none"}>
            <Input type="date" value={draft.dueDate} onChange={(_, d) => setDraft({ dueDate: d.value })} />
          </Field>
          <div className={styles.ownerRow}>
            <Field className={styles.grow} label="Owner" validationMessage={fieldErrors.owner} validationState={fieldErrors.owner ? "error" : "none"}>
              <Input
                value={draft.ownerName}
                onChange={(_, d) =>
                  // A typed name is someone new unless it is the current owner's name again.
                  setDraft({ ownerName: d.value, ownerId: d.value.trim() === (base.owner?.name ?? "") ? (base.owner?.id ?? "") : "" })
                }
              />
            </Field>
            <Button size="small" onClick={() => void assignToMe()}>
              Assign to me
            </Button>
            {host.pickPerson && (
              <Button size="small" onClick={() => void pickInTeams()}>
                Choose a person
              </Button>
            )}
          </div>
          <div className={styles.row}>
            <Button type="submit" appearance="primary" disabled={saving}>
              {saving ? "Saving…" : "Save"}
            </Button>
            <Button onClick={cancel} disabled={saving}>
              Cancel
            </Button>
          </div>
        </form>
      )}

      {message && undo && !editing ? (
        <MessageBar intent={message.intent} layout="multiline">
          <MessageBarBody>{message.text}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" ref={undoButton} onClick={() => void undoFinish()} disabled={saving} aria-describedby={titleId}>
              {saving ? "Undoing…" : "Undo"}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        message && (
          <Text size={200} weight="semibold" className={message.intent === "error" ? styles.error : undefined}>
            {message.text}
          </Text>
        )
      )}
    </Card>
  );
}
