import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { action, renderApp } from "./helpers";

/** A stand-in for the browser's IntersectionObserver that the test scrolls by hand. */
class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly targets: Element[] = [];
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(target: Element) {
    this.targets.push(target);
  }
  unobserve() {}
  disconnect() {
    this.targets.length = 0;
  }
  takeRecords() {
    return [];
  }
  static scrollToEnd() {
    for (const observer of FakeIntersectionObserver.instances) {
      if (observer.targets.length === 0) continue;
      const entries = observer.targets.map((target) => ({ target, isIntersecting: true }) as unknown as IntersectionObserverEntry);
      observer.callback(entries, observer as unknown as IntersectionObserver);
    }
  }
}

const pages = {
  "GET /api/me/actions": (call: { url: string }) =>
    call.url.includes("continuationToken=page%2B2")
      ? { body: { items: [action({ id: "a3", title: "Third action", dueDate: "2030-12-03" })], continuationToken: null } }
      : {
          body: {
            items: [action({ id: "a1", title: "First action", dueDate: "2030-12-01" }), action({ id: "a2", title: "Second action", dueDate: "2030-12-02" })],
            continuationToken: "page+2",
          },
        },
};

describe("my actions", () => {
  const original = globalThis.IntersectionObserver;
  afterEach(() => {
    globalThis.IntersectionObserver = original;
    FakeIntersectionObserver.instances = [];
  });

  it("loads the next page when the end of the list scrolls into view", async () => {
    globalThis.IntersectionObserver = FakeIntersectionObserver as unknown as typeof IntersectionObserver;
    const { calls } = renderApp("/tab/me", pages);
    const list = await screen.findByRole("list", { name: /your open actions/i }, { timeout: 15_000 });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    await waitFor(() => expect(FakeIntersectionObserver.instances.some((o) => o.targets.length > 0)).toBe(true), { timeout: 15_000 });

    await act(async () => FakeIntersectionObserver.scrollToEnd());

    expect(await within(list).findByText("Third action", {}, { timeout: 15_000 })).toBeInTheDocument();
    expect(within(list).getAllByRole("listitem")).toHaveLength(3);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(["/api/me/actions?pageSize=50", "/api/me/actions?pageSize=50&continuationToken=page%2B2"]);

    await act(async () => FakeIntersectionObserver.scrollToEnd());
    expect(calls).toHaveLength(2);
  });

  it("loads the next page with the Load more button, from the keyboard, without IntersectionObserver", async () => {
    // @ts-expect-error: a browser without it
    delete globalThis.IntersectionObserver;
    const { calls } = renderApp("/tab/me", pages);
    const list = await screen.findByRole("list", { name: /your open actions/i }, { timeout: 15_000 });
    const more = screen.getByRole("button", { name: "Load more" });

    more.focus();
    await userEvent.keyboard("{Enter}");

    expect(await within(list).findByText("Third action", {}, { timeout: 15_000 })).toBeInTheDocument();
    expect(within(list).getAllByRole("listitem").map((li) => within(li).getAllByText(/action$/)[0].textContent)).toEqual(["First action", "Second action", "Third action"]);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(calls).toHaveLength(2);
  });

  it("keeps the actions shown and offers to try again when the next page fails", async () => {
    let fail = true;
    renderApp("/tab/me", {
      "GET /api/me/actions": (call) =>
        call.url.includes("continuationToken")
          ? fail
            ? { status: 503, body: { title: "Storage not reachable", status: 503 } }
            : { body: { items: [action({ id: "a3", title: "Third action" })], continuationToken: null } }
          : pages["GET /api/me/actions"](call),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }, { timeout: 15_000 }));
    const retry = await screen.findByRole("button", { name: /try again/i }, { timeout: 15_000 });
    expect(screen.getByText("First action")).toBeInTheDocument();

    fail = false;
    await userEvent.click(retry);

    expect(await screen.findByText("Third action", {}, { timeout: 15_000 })).toBeInTheDocument();
  });
});
