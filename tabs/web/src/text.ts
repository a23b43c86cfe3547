import type { Action, ActionStatus, IdeaCategory, LifecycleStage, Person, Severity } from "./types";

export const statusLabels: Record<ActionStatus, string> = {
  open: "Open",
  inProgress: "In progress",
  done: "Done",
  wontDo: "Won't do",
};

export const statusOrder: ActionStatus[] = ["open", "inProgress", "done", "wontDo"];

export const categoryLabels: Record<IdeaCategory, string> = {
  detect: "Detect",
  react: "React",
  quickFix: "Quick fix",
  prevent: "Prevent",
  otherAreasOfRisk: "Other areas of risk",
};

export const categoryQuestions: Record<IdeaCategory, string> = {
  detect: "How do we find this, or a problem like it, sooner?",
  react: "How do we react faster and in a more organised way?",
  quickFix: "How do we stop the bleeding faster next time?",
  prevent: "How do we prevent it or reduce its impact?",
  otherAreasOfRisk: "Where else do the same assumptions or code stand?",
};

export const categoryOrder: IdeaCategory[] = ["detect", "react", "quickFix", "prevent", "otherAreasOfRisk"];

export function severityLabel(severity: Severity | null | undefined): string {
  const match = /^sev([1-4])$/.exec(severity ?? "");
  return match ? `Sev ${match[1]}` : "Severity not set";
}

/** A yyyy-MM-dd date as "3 Dec 2026", read as a calendar date (no time zone shift). */
export function formatDate(date: string | null | undefined): string {
  if (!date) return "";
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return date;
  return new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant in the given IANA zone (the zone the entry was written in), or the reader's own zone. */
export function formatInstant(instant: string | null | undefined, timeZone?: string | null): string {
  if (!instant) return "";
  const when = new Date(instant);
  if (Number.isNaN(when.getTime())) return instant;
  // Seconds only when the time has them: automated events are often seconds apart.
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: when.getUTCSeconds() === 0 ? "short" : "medium" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: timeZone ?? undefined }).format(when) + zoneSuffix(when, timeZone);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(when);
  }
}

function zoneSuffix(when: Date, timeZone: string | null | undefined): string {
  if (!timeZone) return "";
  const name = new Intl.DateTimeFormat(undefined, { timeZone, timeZoneName: "short" })
    .formatToParts(when)
    .find((p) => p.type === "timeZoneName")?.value;
  return name ? ` ${name}` : "";
}

export function personName(person: Person | string | null | undefined): string {
  if (!person) return "";
  return typeof person === "string" ? person : person.name;
}

/** "the status to Done and the due date to 3 Dec 2026": what differs between the version the user started from and now. */
export function describeChanges(before: Action, after: Action): string {
  const parts: string[] = [];
  if (before.status !== after.status) parts.push(`the status to ${statusLabels[after.status]}`);
  if (before.dueDate !== after.dueDate) parts.push(after.dueDate ? `the due date to ${formatDate(after.dueDate)}` : "the due date to none");
  if ((before.owner?.id ?? null) !== (after.owner?.id ?? null) || (before.owner?.name ?? null) !== (after.owner?.name ?? null)) {
    parts.push(after.owner ? `the owner to ${after.owner.name}` : "the owner to nobody");
  }
  if (before.title !== after.title) parts.push(`the title to “${after.title}”`);
  if (parts.length === 0) return "";
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export function conflictMessage(before: Action, after: Action): string {
  const who = after.updatedBy?.name ?? "Someone else";
  const what = describeChanges(before, after);
  return what ? `${who} changed ${what} while you were editing.` : `${who} saved this action while you were editing.`;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The lifecycle stages as the tab names them. */
export const stageLabels: Record<LifecycleStage, string> = {
  draft: "Draft",
  meetingScheduled: "Meeting scheduled",
  inReview: "In review",
  published: "Published",
  closed: "Closed",
};
