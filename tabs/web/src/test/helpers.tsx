import { render, screen } from "@testing-library/react";
import { vi } from "vitest";
import { App } from "../App";
import { createApi } from "../api";
import { browserHost, type Host } from "../teams";
import type { Action, OverviewFigures, Postmortem, PostmortemSummary, SearchItem } from "../types";

export interface Call {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> } | "network-error";
type Handler = (call: Call) => Reply | Promise<Reply>;

/** The API client sends JSON text; anything else would be a change the fake should not silently misread. */
function jsonBody(body: BodyInit | null | undefined): unknown {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body !== "string") throw new TypeError("fakeFetch reads JSON text bodies only.");
  return JSON.parse(body);
}

/** A fetch that answers from handlers keyed "METHOD /path" (query string ignored) and records every call. */
export function fakeFetch(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input, "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const call: Call = { method, url: url.pathname + url.search, headers: new Headers(init.headers), body: jsonBody(init.body) };
    calls.push(call);
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ title: "Not Found", status: 404 }), { status: 404, headers: { "Content-Type": "application/problem+json" } });
    const reply = typeof route === "function" ? await route(call) : route;
    if (reply === "network-error") throw new TypeError("Failed to fetch");
    const status = reply.status ?? 200;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status,
      headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...reply.headers },
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

export function renderApp(path: string, routes: Record<string, Handler | Reply>, host: Host = browserHost(new URL(path, "http://localhost").search)) {
  window.history.replaceState(null, "", path);
  const { fetch, calls } = fakeFetch(routes);
  const api = createApi(() => host.getToken(), fetch);
  const result = render(<App host={host} api={api} />);
  return { ...result, calls, api };
}

export function action(overrides: Partial<Action> = {}): Action {
  return {
    id: "a1",
    postmortemId: "pm1",
    postmortemTitle: "Checkout errors",
    title: "Alert on payment error rate",
    category: "detect",
    owner: { id: "u-megan", name: "Megan Bowen" },
    dueDate: "2030-12-01",
    status: "open",
    overdue: false,
    createdAt: "2026-01-10T10:00:00+00:00",
    updatedAt: null,
    etag: 'W/"1"',
    ...overrides,
  };
}

export function summary(i: number, overrides: Partial<PostmortemSummary> = {}): PostmortemSummary {
  return {
    id: `pm${i}`,
    title: `Incident ${i}`,
    status: "open",
    severity: "sev2",
    summary: `Summary ${i}`,
    facilitator: { id: "u-alex", name: "Alex Wilber" },
    createdAt: `2026-01-${String(30 - i).padStart(2, "0")}T09:00:00+00:00`,
    ...overrides,
  };
}

export function searchItem(i: number, overrides: Partial<SearchItem> = {}): SearchItem {
  const { createdAt, ...rest } = summary(i);
  return { ...rest, date: createdAt, services: [], tags: [], hasOverdueActions: false, ...overrides };
}

/** Three postmortems' figures; each number appears once per chart so a table showing the wrong one is caught. */
export function figures(overrides: Partial<OverviewFigures> = {}): OverviewFigures {
  return {
    from: "2026-01-01",
    to: "2026-03-31",
    label: null,
    postmortems: 3,
    months: [
      { month: "2026-01", bySeverity: { sev1: 1, sev2: 1, sev3: 0, sev4: 0, notSet: 0 }, total: 2 },
      { month: "2026-02", bySeverity: { sev1: 0, sev2: 0, sev3: 1, sev4: 0, notSet: 0 }, total: 1 },
    ],
    medians: [
      { measure: "detection", medianMinutes: 12, postmortems: 3 },
      { measure: "mitigation", medianMinutes: 40, postmortems: 3 },
      { measure: "meeting", medianMinutes: 2880, postmortems: 2 },
      { measure: "publication", medianMinutes: null, postmortems: 0 },
    ],
    members: [
      { id: "u-megan", name: "Megan Bowen", actions: 4, done: 2, overdue: 1, completionRate: 0.5 },
      { id: "u-alex", name: "Alex Wilber", actions: 3, done: 3, overdue: 0, completionRate: 1 },
    ],
    factorCategories: [
      { category: "Change and deployment", factors: 3 },
      { category: "Not categorised yet", factors: 1 },
    ],
    kinds: [
      { kind: "detect", ideas: 2, actions: 1 },
      { kind: "react", ideas: 0, actions: 0 },
      { kind: "quickFix", ideas: 1, actions: 1 },
      { kind: "prevent", ideas: 1, actions: 0 },
      { kind: "otherAreasOfRisk", ideas: 0, actions: 0 },
    ],
    quickFixesDominate: false,
    recurringFactors: [],
    ...overrides,
  };
}

/** The cells of a chart's table (header row first), found by the table's accessible region name. */
export function tableRows(title: string): string[][] {
  const region = screen.getByRole("region", { name: `${title}: table` });
  return [...region.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent ?? ""));
}

export function postmortem(overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    id: "pm1",
    title: "Checkout errors",
    summary: "Card payments failed for 40 minutes.",
    customerImpact: "About 300 customers could not pay.",
    severity: "sev2",
    status: "open",
    startedAt: "2026-01-10T09:00:00+00:00",
    detectedAt: "2026-01-10T09:12:00+00:00",
    mitigatedAt: "2026-01-10T09:40:00+00:00",
    reportedBy: { id: "u-support", name: "Support desk" },
    facilitator: { id: "u-alex", name: "Alex Wilber" },
    createdBy: { id: "u-alex", name: "Alex Wilber" },
    createdAt: "2026-01-10T11:00:00+00:00",
    timeline: [
      entry("t2", "2026-01-10T09:12:00+00:00", "Pager alert fired"),
      entry("t3", "2026-01-10T09:40:00+00:00", "Rolled back the release"),
      entry("t1", "2026-01-10T09:00:00+00:00", "Release 42 deployed"),
    ],
    ideas: [
      { id: "i1", category: "detect", text: "Alert on the payment error rate", author: null },
      { id: "i2", category: "prevent", text: "Canary releases for the payment service", author: null },
    ],
    actions: [
      action(),
      action({ id: "a2", title: "Write the rollback runbook", status: "inProgress", dueDate: "2026-01-05", overdue: true, etag: 'W/"2"' }),
      action({ id: "a3", title: "Remove the old flag", status: "done", etag: 'W/"3"' }),
      action({ id: "a4", title: "Rewrite the service", status: "wontDo", etag: 'W/"4"' }),
    ],
    whys: [{ id: "w1", problem: "Payments failed", whys: ["The new client timed out", "The timeout was 1 s"], author: null }],
    contributingFactors: [
      {
        id: "c1",
        text: "No canary stage",
        category: "change",
        categoryTitle: "Change and deployment",
        state: "open",
        riskReason: null,
        entryIds: ["t1"],
        actionIds: [],
        author: null,
      },
    ],
    takeaways: [{ id: "k1", text: "Rollbacks are fast when rehearsed", author: null }],
    wentWell: [{ id: "g1", text: "The pager alert fired within a minute", author: { id: "u-ana", name: "Ana" } }],
    lucky: [{ id: "l1", text: "The cache expert was at their desk", author: { id: "u-ben", name: "Ben" } }],
    missing: [{ kind: "openFactor", text: "Factor “No canary stage” has no action and is not accepted as a risk.", itemId: "c1" }],
    ...overrides,
  };
}

function entry(id: string, occurredAt: string, description: string) {
  return {
    id,
    occurredAt,
    timeZone: "UTC",
    actor: "On-call engineer",
    description,
    outcome: "Observed",
    expectations: "Expected it to work",
    assumptions: "Assumed the tests covered it",
    kind: null,
    signalsAvailable: null,
    author: null,
  };
}
