import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { formatInstant } from "../text";
import { postmortem, renderApp } from "./helpers";

const page = "/tab/postmortems/pm1";

describe("seen before on the postmortem page", () => {
  it("lists each earlier postmortem with its title as a link, its date and why it matches", async () => {
    const { calls } = renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "GET /api/postmortems/pm1/seen-before": {
        body: {
          items: [
            { postmortemId: "pm0", title: "Checkout slow", date: "2025-11-02T08:00:00+00:00", reason: "same service “payments” and same category “Change and deployment”" },
            { postmortemId: "pm/old", title: "Card errors", date: "2025-06-20T14:30:00+00:00", reason: "similar factor “No canary stage”" },
          ],
        },
      },
      "GET /api/postmortems/pm0": { body: postmortem({ id: "pm0", title: "Checkout slow" }) },
    });

    const section = await screen.findByRole("region", { name: "Seen before" });
    const items = await within(section).findAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      `Seen before in Checkout slow (${formatInstant("2025-11-02T08:00:00+00:00")}): same service “payments” and same category “Change and deployment”.`,
    );
    expect(items[0].querySelector("time")).toHaveAttribute("dateTime", "2025-11-02T08:00:00+00:00");
    expect(within(items[1]).getByRole("link", { name: "Card errors" })).toHaveAttribute("href", "/tab/postmortems/pm%2Fold");
    expect(items[1]).toHaveTextContent("similar factor “No canary stage”.");
    expect(calls.some((c) => c.url === "/api/postmortems/pm1/seen-before")).toBe(true);

    await userEvent.click(within(items[0]).getByRole("link", { name: "Checkout slow" }));
    expect(window.location.pathname).toBe("/tab/postmortems/pm0");
    expect(await screen.findByRole("heading", { level: 1, name: "Checkout slow" })).toBeInTheDocument();
  });

  it("says in one line that nothing like this was seen before, with no list", async () => {
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "GET /api/postmortems/pm1/seen-before": { body: { items: [] } },
    });

    const section = await screen.findByRole("region", { name: "Seen before" });
    expect(await within(section).findByText("Nothing like this was seen before, as far as the services, tags and contributing factors tell.")).toBeInTheDocument();
    expect(within(section).queryByRole("list")).not.toBeInTheDocument();
  });

  it("says calmly when earlier postmortems can't be looked up, and still shows the page", async () => {
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "GET /api/postmortems/pm1/seen-before": { status: 503, body: { title: "Service Unavailable", status: 503 } },
    });

    const section = await screen.findByRole("region", { name: "Seen before" });
    expect(await within(section).findByText("Earlier postmortems can't be looked up right now.")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Timeline" })).toBeInTheDocument();
  });

  it("shows hostile titles and reasons as the words they are", async () => {
    const evil = '<script>alert(1)</script>](javascript:alert(1))';
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "GET /api/postmortems/pm1/seen-before": { body: { items: [{ postmortemId: "pm9", title: evil, date: "2025-11-02T08:00:00+00:00", reason: `similar factor “${evil}”` }] } },
    });

    const section = await screen.findByRole("region", { name: "Seen before" });
    const link = await within(section).findByRole("link", { name: evil });
    expect(link).toHaveAttribute("href", "/tab/postmortems/pm9");
    expect(within(section).getByRole("listitem")).toHaveTextContent(`similar factor “${evil}”.`);
    expect(section.querySelector("script, a[href^='javascript']")).toBeNull();
  });
});
