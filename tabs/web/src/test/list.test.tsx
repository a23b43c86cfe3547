import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderApp, summary } from "./helpers";

describe("postmortem list", () => {
  it("shows the newest first and loads the next page with the continuation token", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": (call) =>
        call.url.includes("continuation=next%2B1")
          ? { body: { items: [summary(3)], continuation: null } }
          : { body: { items: [summary(1), summary(2)], continuation: "next+1" } },
    });

    const list = await screen.findByRole("list", { name: /postmortems/i });
    expect(within(list).getAllByRole("heading").map((h) => h.textContent)).toEqual(["Incident 1", "Incident 2"]);
    expect(within(list).getByRole("link", { name: "Incident 1" })).toHaveAttribute("href", "/tab/postmortems/pm1");

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(await within(list).findByRole("heading", { name: "Incident 3" })).toBeInTheDocument();
    expect(within(list).getAllByRole("heading")).toHaveLength(3);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(["/api/postmortems?pageSize=20", "/api/postmortems?pageSize=20&continuation=next%2B1"]);
  });

  it("filters by status", async () => {
    const { calls } = renderApp("/tab/", {
      "GET /api/postmortems": (call) =>
        call.url.includes("status=closed")
          ? { body: { items: [summary(9, { status: "closed", title: "Old outage" })], continuation: null } }
          : { body: { items: [summary(1)], continuation: null } },
    });
    await screen.findByRole("heading", { name: "Incident 1" });

    await userEvent.click(screen.getByRole("radio", { name: "Closed" }));

    expect(await screen.findByRole("heading", { name: "Old outage" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Incident 1" })).not.toBeInTheDocument();
    expect(calls.at(-1)?.url).toBe("/api/postmortems?pageSize=20&status=closed");
  });

  it("opens a postmortem in the page when its link is followed", async () => {
    renderApp("/tab/", {
      "GET /api/postmortems": { body: { items: [summary(1)], continuation: null } },
      "GET /api/postmortems/pm1": { status: 404, body: { title: "Not Found", status: 404 } },
    });
    await userEvent.click(await screen.findByRole("link", { name: "Incident 1" }));
    expect(window.location.pathname).toBe("/tab/postmortems/pm1");
    expect(await screen.findByText("We couldn't find this")).toBeInTheDocument();
  });

  it("says kindly when the tab has no Teams sign-in", async () => {
    renderApp("/tab/", { "GET /api/postmortems": { status: 401, body: { title: "Unauthorized", status: 401 } } });
    expect(await screen.findByText("The tab needs Teams sign-in")).toBeInTheDocument();
  });
});
