import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SearchPage } from "../types";
import { type Call, renderApp, searchItem, summary } from "./helpers";

function query(call: Call | undefined): Record<string, string> {
  return Object.fromEntries(new URL(call?.url ?? "", "http://localhost").searchParams);
}

const searchCalls = (calls: Call[]) => calls.filter((c) => c.url.startsWith("/api/search?"));

const plainList = { body: { items: [summary(1)], continuation: null } };

function page(items: SearchPage["items"], continuation: string | null = null, total = items.length): { body: SearchPage } {
  return { body: { items, total, continuation } };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function typeWords(words: string) {
  const box = screen.getByRole("searchbox", { name: "Search title, summary, factors and takeaways" });
  await userEvent.clear(box);
  await userEvent.type(box, words);
}

const headings = () => within(screen.getByRole("list", { name: /postmortems/i })).getAllByRole("heading").map((h) => h.textContent);

describe("searching postmortems", () => {
  it("sends the words with Enter, newest first, and says how many were found", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": page([searchItem(4, { title: "Payment timeout" })], null, 1),
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await typeWords("payment timeout{Enter}");

    expect(await screen.findByRole("heading", { name: "Payment timeout" })).toBeInTheDocument();
    expect(screen.getByText("1 postmortem found.")).toHaveAttribute("role", "status");
    expect(screen.getByRole("list", { name: "Postmortems found" })).toBeInTheDocument();
    expect(query(searchCalls(calls).at(-1))).toEqual({ q: "payment timeout", sort: "newest", pageSize: "20" });
  });

  it("sends every chosen filter and the sort in the query string", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": page([searchItem(5)], null, 1),
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await typeWords("cache");
    await userEvent.type(screen.getByLabelText("Service or tag"), "payments api");
    await userEvent.selectOptions(screen.getByLabelText("Severity"), "sev1");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-01-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-02-28" } });
    await userEvent.click(screen.getByRole("checkbox", { name: "Has overdue actions" }));
    await userEvent.selectOptions(screen.getByLabelText("Sort by"), "severity");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));

    await screen.findByRole("heading", { name: "Incident 5" });
    expect(searchCalls(calls)).toHaveLength(1);
    expect(query(searchCalls(calls)[0])).toEqual({
      q: "cache",
      label: "payments api",
      severity: "sev1",
      from: "2026-01-01",
      to: "2026-02-28",
      overdue: "true",
      sort: "severity",
      pageSize: "20",
    });

    // The status choice joins the search rather than replacing it.
    await userEvent.click(screen.getByRole("radio", { name: "Closed" }));
    await screen.findByRole("heading", { name: "Incident 5" });
    expect(query(searchCalls(calls).at(-1))).toMatchObject({ q: "cache", severity: "sev1", overdue: "true", status: "closed" });
    expect(query(searchCalls(calls).at(-1))).not.toHaveProperty("continuation");
  });

  it("sorting alone is a search; Clear goes back to the plain list", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": page([searchItem(2, { title: "A first" })]),
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await userEvent.selectOptions(screen.getByLabelText("Sort by"), "title");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByRole("heading", { name: "A first" })).toBeInTheDocument();
    expect(query(searchCalls(calls).at(-1))).toEqual({ sort: "title", pageSize: "20" });

    await userEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(await screen.findByRole("heading", { name: "Incident 1" })).toBeInTheDocument();
    expect(calls.at(-1)?.url).toBe("/api/postmortems?pageSize=20");
    expect(screen.getByLabelText("Sort by")).toHaveValue("newest");
  });

  it("loads more with the continuation token and adds the page below", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": (call) =>
        query(call).continuation === "tok/1+=" ? page([searchItem(3), searchItem(2)], null, 3) : page([searchItem(1), searchItem(2)], "tok/1+=", 3),
    });
    await screen.findByRole("heading", { name: "Incident 1" });
    await typeWords("incident{Enter}");
    await screen.findByRole("heading", { name: "Incident 2" });

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(await screen.findByRole("heading", { name: "Incident 3" })).toBeInTheDocument();
    // Appended, and an item already shown (Incident 2) is not shown twice.
    expect(headings()).toEqual(["Incident 1", "Incident 2", "Incident 3"]);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(searchCalls(calls).map(query)).toEqual([
      { q: "incident", sort: "newest", pageSize: "20" },
      { q: "incident", sort: "newest", pageSize: "20", continuation: "tok/1+=" },
    ]);
    expect(searchCalls(calls)[1].url).toContain("continuation=tok%2F1%2B%3D");
  });

  it("when 'Load more' fails, keeps the results and tries the same page again", async () => {
    let fail = true;
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": (call) => {
        if (query(call).continuation !== "p2") return page([searchItem(1)], "p2", 2);
        return fail ? "network-error" : page([searchItem(2)], null, 2);
      },
    });
    await screen.findByRole("heading", { name: "Incident 1" });
    await typeWords("incident{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't reach the service");
    expect(headings()).toEqual(["Incident 1"]);

    fail = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Incident 2" })).toBeInTheDocument();
    expect(headings()).toEqual(["Incident 1", "Incident 2"]);
    expect(searchCalls(calls).slice(1).map((c) => query(c).continuation)).toEqual(["p2", "p2"]);
  });

  it("offers the services and tags in use once someone reaches for the field", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/labels": { body: { services: ["payments"], tags: ["<b>db</b>"] } },
    });
    await screen.findByRole("heading", { name: "Incident 1" });
    expect(calls.some((c) => c.url === "/api/labels")).toBe(false);

    const field = screen.getByLabelText("Service or tag");
    await userEvent.click(field);
    await userEvent.tab();
    await userEvent.click(field);

    const list = document.getElementById(field.getAttribute("list") ?? "");
    await vi.waitFor(() => expect([...(list?.querySelectorAll("option") ?? [])].map((o) => o.value)).toEqual(["payments", "<b>db</b>"]));
    expect(calls.filter((c) => c.url === "/api/labels")).toHaveLength(1);
  });

  it("starts from the first page again when a filter changes", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": (call) => {
        const q = query(call);
        if (q.status === "open") return page([searchItem(7, { title: "Open one" })], "open-2", 2);
        return q.continuation === "all-2" ? page([searchItem(2)], "all-3", 9) : page([searchItem(1)], "all-2", 9);
      },
    });
    await screen.findByRole("heading", { name: "Incident 1" });
    await typeWords("incident{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));
    await screen.findByRole("heading", { name: "Incident 2" });

    await userEvent.click(screen.getByRole("radio", { name: "Open" }));

    expect(await screen.findByRole("heading", { name: "Open one" })).toBeInTheDocument();
    expect(headings()).toEqual(["Open one"]);
    expect(query(searchCalls(calls).at(-1))).toEqual({ q: "incident", sort: "newest", status: "open", pageSize: "20" });

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("2 postmortems found.");
    expect(query(searchCalls(calls).at(-1))).toMatchObject({ status: "open", continuation: "open-2" });
  });

  it("drops a 'Load more' answer that arrives after the search changed", async () => {
    const late = deferred<{ body: SearchPage }>();
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": (call) => {
        const q = query(call);
        if (q.q === "disk") return page([searchItem(8, { title: "Disk full" })], null, 1);
        return q.continuation === "old-2" ? late.promise : page([searchItem(1)], "old-2", 2);
      },
    });
    await screen.findByRole("heading", { name: "Incident 1" });
    await typeWords("incident{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));

    await typeWords("disk{Enter}");
    expect(await screen.findByRole("heading", { name: "Disk full" })).toBeInTheDocument();
    late.resolve(page([searchItem(2, { title: "Stale result" })], "old-3", 2));
    await late.promise;
    await new Promise((r) => setTimeout(r, 50));

    expect(headings()).toEqual(["Disk full"]);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(screen.getByText("1 postmortem found.")).toBeInTheDocument();
    expect(query(searchCalls(calls).at(-1))).toEqual({ q: "disk", sort: "newest", pageSize: "20" });
  });

  it("on a 400 shows each message next to its filter and keeps the filters", async () => {
    renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": {
        status: 400,
        body: {
          title: "Some values need a change",
          status: 400,
          detail: "The search can't be run with these values.",
          errors: {
            to: ["The end of the period is before its start."],
            label: ["A service or tag has at most 40 letters, digits, spaces, '-', '_', '.' or '/'."],
            continuation: ["This continuation token is not one we gave out."],
          },
        },
      },
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await userEvent.type(screen.getByLabelText("Service or tag"), "pay;ments");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-03-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-01-01" } });
    await userEvent.click(screen.getByRole("button", { name: "Search" }));

    const alert = (await screen.findByText("Some values need a change")).closest("[role=alert]") as HTMLElement;
    expect(alert).toHaveTextContent("The search can't be run with these values.");
    // A message with no filter of its own is read out with the page's message.
    expect(alert).toHaveTextContent("This continuation token is not one we gave out.");
    expect(alert).not.toHaveTextContent("The end of the period");
    expect(within(alert).queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();

    const to = screen.getByLabelText("To");
    expect(to).toHaveAttribute("aria-invalid", "true");
    expect(to).toHaveAccessibleDescription("The end of the period is before its start.");
    expect(screen.getByLabelText("Service or tag")).toHaveAccessibleDescription(/A service or tag has at most 40/);
    expect(screen.getByLabelText("From")).not.toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Service or tag")).toHaveValue("pay;ments");
    expect(screen.getByLabelText("From")).toHaveValue("2026-03-01");
    expect(screen.queryByText(/No postmortems/)).not.toBeInTheDocument();
  });

  it("says when nothing matches, rather than that there are no postmortems", async () => {
    renderApp("/tab/", { "GET /api/postmortems": plainList, "GET /api/search": page([], null, 0) });
    await screen.findByRole("heading", { name: "Incident 1" });

    await typeWords("nothing like this{Enter}");

    expect(await screen.findByText("No postmortems match this search. Try fewer words or filters.")).toBeInTheDocument();
    expect(screen.getByText("0 postmortems found.")).toBeInTheDocument();
    expect(screen.queryByText(/Start one by chatting/)).not.toBeInTheDocument();
  });

  it("shows hostile titles, summaries and labels as the words they are", async () => {
    const script = "<script>alert(1)</script>";
    const link = "[click](javascript:alert(1))";
    renderApp("/tab/", {
      "GET /api/postmortems": plainList,
      "GET /api/search": page([
        searchItem(1, { id: "pm<1>", title: script, summary: '<img src=x onerror="alert(1)">', tags: ["<b>tag</b>"], hasOverdueActions: true }),
        searchItem(2, { title: link, services: [link] }),
      ]),
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await typeWords("alert{Enter}");

    const first = await screen.findByRole("link", { name: script });
    expect(first).toHaveAttribute("href", "/tab/postmortems/pm%3C1%3E");
    expect(screen.getByRole("link", { name: link })).toHaveAttribute("href", "/tab/postmortems/pm2");
    expect(screen.getByText('<img src=x onerror="alert(1)">')).toBeInTheDocument();
    expect(screen.getByText("<b>tag</b>")).toBeInTheDocument();
    expect(screen.getAllByText(link)).toHaveLength(2);
    expect(screen.getByText("Overdue actions")).toBeInTheDocument();
    const main = screen.getByRole("main");
    expect(main.querySelector("script, img, b")).toBeNull();
    expect(main.querySelector("a[href^='javascript']")).toBeNull();
  });
});
