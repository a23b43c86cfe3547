import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp, summary } from "./helpers";

describe("postmortem list labels", () => {
  it("labels the creation time as when the postmortem was opened, not when the incident started", async () => {
    renderApp("/tab/", {
      "GET /api/postmortems": { body: { items: [summary(1)], continuation: null } },
    });

    const list = await screen.findByRole("list", { name: /postmortems/i });
    const item = within(list).getAllByRole("listitem")[0];
    const time = item.querySelector("time");
    expect(time).toHaveAttribute("dateTime", summary(1).createdAt);
    expect(time?.parentElement?.textContent).toMatch(/^Opened /);
    expect(item.textContent).not.toMatch(/Started/);
  });
});
