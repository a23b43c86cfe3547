import type { Action, ActionChanges, ActionsPage, LabelsInUse, Me, OverviewFigures, Page, SeenBefore, Postmortem, PostmortemLabels, PostmortemStatus, PostmortemSummary, ProblemDetails, SearchPage, SearchQuery } from "./types";

export type ApiErrorKind =
  | "signIn" // 401, or Teams would not give a token
  | "notFound"
  | "validation" // 400
  | "conflict" // 412: someone else changed it
  | "network" // no answer at all
  | "server"; // 5xx and anything else unexpected

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | undefined,
    readonly problem: ProblemDetails | undefined,
  ) {
    super(problem?.title ?? `${kind}${status ? ` (${status})` : ""}`);
    this.name = "ApiError";
  }
}

/** Returns a token for the tab API, or null to call without one (outside Teams: the server's local identity). */
export type TokenSource = () => Promise<string | null>;

export interface Api {
  me(): Promise<Me>;
  listPostmortems(status: PostmortemStatus | undefined, continuation: string | null, pageSize?: number): Promise<Page<PostmortemSummary>>;
  getPostmortem(id: string): Promise<Postmortem>;
  /** One page of the caller's open actions; pass the previous page's continuationToken for the next one. */
  myActions(continuationToken?: string | null, pageSize?: number): Promise<ActionsPage>;
  updateAction(action: Pick<Action, "postmortemId" | "id" | "etag">, changes: ActionChanges): Promise<Action>;
  downloadExport(postmortemId: string): Promise<Blob>;
  exportUrl(postmortemId: string): string;
  search(query: SearchQuery, continuation: string | null, pageSize?: number): Promise<SearchPage>;
  labelsInUse(): Promise<LabelsInUse>;
  saveLabels(postmortemId: string, etag: string, labels: LabelsInUse): Promise<PostmortemLabels>;
  overview(period: OverviewPeriod): Promise<OverviewFigures>;
  downloadOverviewCsv(period: OverviewPeriod): Promise<Blob>;
  overviewCsvUrl(period: OverviewPeriod): string;
  seenBefore(postmortemId: string): Promise<{ items: SeenBefore[] }>;
}

export interface OverviewPeriod {
  from: string;
  to: string;
  label: string;
}

function periodParams(period: OverviewPeriod): URLSearchParams {
  const params = new URLSearchParams();
  if (period.from) params.set("from", period.from);
  if (period.to) params.set("to", period.to);
  if (period.label.trim()) params.set("label", period.label.trim());
  return params;
}

/** The query string of a search: empty values are left out, so the server applies no such filter. */
export function searchParams(query: SearchQuery, continuation: string | null, pageSize: number): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === "" || value === false) continue;
    params.set(key, String(value));
  }
  params.set("pageSize", String(pageSize));
  if (continuation) params.set("continuation", continuation);
  return params;
}

const seg = encodeURIComponent;

export function createApi(getToken: TokenSource, fetchImpl: typeof fetch = (...args) => fetch(...args)): Api {
  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    let token: string | null;
    try {
      token = await getToken();
    } catch {
      throw new ApiError("signIn", undefined, undefined);
    }
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    if (!headers.has("Accept")) headers.set("Accept", "application/json");
    let response: Response;
    try {
      response = await fetchImpl(path, { ...init, headers });
    } catch {
      throw new ApiError("network", undefined, undefined);
    }
    if (response.ok) return response;
    throw new ApiError(kindOf(response.status), response.status, await readProblem(response));
  }

  async function json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await send(path, init);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError("server", response.status, undefined);
    }
  }

  return {
    me: () => json<Me>("/api/me"),
    listPostmortems(status, continuation, pageSize = 20) {
      const query = new URLSearchParams({ pageSize: String(pageSize) });
      if (status) query.set("status", status);
      if (continuation) query.set("continuation", continuation);
      return json<Page<PostmortemSummary>>(`/api/postmortems?${query}`);
    },
    getPostmortem: (id) => json<Postmortem>(`/api/postmortems/${seg(id)}`),
    async myActions(continuationToken = null, pageSize = 50) {
      const query = new URLSearchParams({ pageSize: String(pageSize) });
      if (continuationToken) query.set("continuationToken", continuationToken);
      const page = await json<{ items: Action[]; continuationToken?: string | null }>(`/api/me/actions?${query}`);
      return { items: page.items, continuationToken: page.continuationToken ?? null };
    },
    updateAction: (action, changes) =>
      json<Action>(`/api/postmortems/${seg(action.postmortemId)}/actions/${seg(action.id)}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", "If-Match": action.etag },
        body: JSON.stringify(changes),
      }),
    async downloadExport(postmortemId) {
      const response = await send(`/api/postmortems/${seg(postmortemId)}/export.md`, { headers: { Accept: "text/markdown" } });
      return response.blob();
    },
    exportUrl: (postmortemId) => `/api/postmortems/${seg(postmortemId)}/export.md`,
    search: (query, continuation, pageSize = 20) => json<SearchPage>(`/api/search?${searchParams(query, continuation, pageSize)}`),
    labelsInUse: () => json<LabelsInUse>("/api/labels"),
    overview: (period) => json<OverviewFigures>(`/api/overview?${periodParams(period)}`),
    async downloadOverviewCsv(period) {
      const response = await send(`/api/overview.csv?${periodParams(period)}`, { headers: { Accept: "text/csv" } });
      return response.blob();
    },
    overviewCsvUrl: (period) => `/api/overview.csv?${periodParams(period)}`,
    seenBefore: (postmortemId) => json<{ items: SeenBefore[] }>(`/api/postmortems/${seg(postmortemId)}/seen-before`),
    saveLabels: (postmortemId, etag, labels) =>
      json<PostmortemLabels>(`/api/postmortems/${seg(postmortemId)}/labels`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "If-Match": etag },
        body: JSON.stringify(labels),
      }),
  };
}

function kindOf(status: number): ApiErrorKind {
  if (status === 401) return "signIn";
  if (status === 404) return "notFound";
  if (status === 400 || status === 422) return "validation";
  if (status === 412) return "conflict";
  return "server";
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  try {
    const body: unknown = await response.json();
    return body && typeof body === "object" ? body : undefined;
  } catch {
    return undefined;
  }
}
