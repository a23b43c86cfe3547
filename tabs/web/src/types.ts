// The shapes of tabs/API.md. Keep in step with the contract, not with the server's classes.

export interface Person {
  id: string;
  name: string;
}

export type ActionStatus = "open" | "inProgress" | "done" | "wontDo";
export type IdeaCategory = "detect" | "react" | "quickFix" | "prevent" | "otherAreasOfRisk";
export type Severity = "notSet" | "sev1" | "sev2" | "sev3" | "sev4";
export type PostmortemStatus = "open" | "closed";

export interface Action {
  id: string;
  postmortemId: string;
  postmortemTitle: string;
  title: string;
  category: IdeaCategory | null;
  owner: Person | null;
  dueDate: string | null;
  status: ActionStatus;
  overdue: boolean;
  createdAt: string;
  updatedAt: string | null;
  /** Medium when a server does not send it. */
  priority?: ActionPriority;
  /** An https address of the work item where the change is tracked; the server sends only https links. */
  workItemLink?: string | null;
  etag: string;
  /** Not in the contract today; shown in the "changed while you were editing" message when a server sends it. */
  updatedBy?: Person | null;
}

export type ActionPriority = "high" | "medium" | "low";

export interface ActionChanges {
  status?: ActionStatus;
  dueDate?: string | null;
  owner?: Person | null;
  /** Takes back "done" or "won't do": status is the one the action had before. */
  undoFinish?: boolean;
}

export interface PostmortemSummary {
  id: string;
  title: string;
  status: PostmortemStatus;
  severity: Severity;
  summary: string;
  facilitator: Person | null;
  createdAt: string;
  services?: string[];
  tags?: string[];
  /** Only search results say this. */
  hasOverdueActions?: boolean;
}

export type SearchSort = "newest" | "oldest" | "severity" | "title";

/** GET /api/search: every field optional; empty strings are left out of the query. */
export interface SearchQuery {
  q?: string;
  status?: "" | PostmortemStatus;
  severity?: "" | Severity;
  label?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  sort?: SearchSort;
}

export interface SearchItem {
  id: string;
  title: string;
  status: PostmortemStatus;
  severity: Severity;
  summary: string | null;
  facilitator: Person | null;
  date: string;
  services: string[];
  tags: string[];
  hasOverdueActions: boolean;
}

export interface SearchPage {
  items: SearchItem[];
  total: number;
  continuation: string | null;
}

export interface LabelsInUse {
  services: string[];
  tags: string[];
}

export interface PostmortemLabels extends LabelsInUse {
  etag: string | null;
}

/** A page of GET /api/me/actions: continuationToken is null on the last page. */
export interface ActionsPage {
  items: Action[];
  continuationToken: string | null;
}

export interface Page<T> {
  items: T[];
  continuation: string | null;
}

export interface TimelineEntry {
  id: string;
  occurredAt: string;
  timeZone: string | null;
  actor: string | null;
  description: string;
  outcome: string | null;
  expectations: string | null;
  assumptions: string | null;
  kind: string | null;
  signalsAvailable: string | null;
  author: Person | null;
}

export interface Idea {
  id: string;
  category: IdeaCategory;
  text: string;
  author: Person | null;
}

export interface Whys {
  id: string;
  problem: string;
  whys: string[];
  author: Person | null;
}

export interface Note {
  id: string;
  text: string;
  author: Person | null;
}

export type FactorState = "open" | "addressed" | "acceptedRisk";

export interface Factor {
  id: string;
  text: string;
  category: string | null;
  categoryTitle: string | null;
  state: FactorState;
  riskReason: string | null;
  entryIds: string[];
  actionIds: string[];
  author: Person | null;
}

export interface Missing {
  kind: "noFactor" | "openFactor" | "noOwner" | "noDueDate";
  text: string;
  itemId: string | null;
}

export interface Postmortem {
  id: string;
  title: string;
  summary: string | null;
  customerImpact: string | null;
  severity: Severity;
  status: PostmortemStatus;
  startedAt: string | null;
  detectedAt: string | null;
  mitigatedAt: string | null;
  reportedBy: Person | string | null;
  facilitator: Person | null;
  createdBy: Person | null;
  createdAt: string;
  timeline: TimelineEntry[];
  ideas: Idea[];
  actions: Action[];
  whys: Whys[];
  contributingFactors: Factor[];
  takeaways: Note[];
  services?: string[];
  tags?: string[];
  etag?: string | null;
  wentWell: Note[];
  lucky: Note[];
  missing: Missing[];
  lifecycle?: Lifecycle;
}

export type LifecycleStage = "draft" | "meetingScheduled" | "inReview" | "published" | "closed";

/** Where the postmortem is in its life, and who holds its roles. */
export interface Lifecycle {
  stage: LifecycleStage;
  scribe: Person | null;
  incidentCommander: Person | null;
  meetingStartsAt: string | null;
  publishedAt: string | null;
  publishedBy: Person | null;
}

export interface Me {
  tenantId: string;
  userId: string;
  name: string;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  current?: Action;
}

/** GET /api/overview: how the practice is doing over a period (tabs/API.md). */
export interface OverviewFigures {
  from: string;
  to: string;
  label: string | null;
  postmortems: number;
  months: { month: string; bySeverity: Record<Severity, number>; total: number }[];
  medians: { measure: string; medianMinutes: number | null; postmortems: number }[];
  members: { id: string; name: string; actions: number; done: number; overdue: number; completionRate: number }[];
  factorCategories: { category: string; factors: number }[];
  kinds: { kind: IdeaCategory; ideas: number; actions: number }[];
  quickFixesDominate: boolean;
  recurringFactors: { text: string; postmortems: { id: string; title: string }[]; reason: string }[];
}

export interface SeenBefore {
  postmortemId: string;
  title: string;
  date: string;
  reason: string;
}
