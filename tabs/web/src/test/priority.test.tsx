import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { sortMine } from "../pages/MyActions";
import { action, renderApp } from "./helpers";

describe("action priority and work item link", () => {
  it("shows the priority and opens only an https work item link", async () => {
    renderApp("/tab/me", {
      "GET /api/me/actions": {
        body: {
          items: [
            action({ id: "a1", title: "Tracked action", priority: "high", workItemLink: "https://tracker.example.com/items/42" }),
            action({ id: "a2", title: "Forged link", priority: "low", workItemLink: "javascript:alert(1)" }),
          ],
          continuationToken: null,
        },
      },
    });
    const tracked = await screen.findByRole("article", { name: "Tracked action" }, { timeout: 15_000 });
    expect(within(tracked).getByText("Priority: High")).toBeInTheDocument();
    const link = within(tracked).getByRole("link", { name: "Open the work item" });
    expect(link).toHaveAttribute("href", "https://tracker.example.com/items/42");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");

    const forged = screen.getByRole("article", { name: "Forged link" });
    expect(within(forged).getByText("Priority: Low")).toBeInTheDocument();
    expect(within(forged).queryByRole("link", { name: "Open the work item" })).toBeNull();
  });

  it("orders my actions due the same day by priority, high first", () => {
    const sorted = sortMine([
      action({ id: "low", dueDate: "2030-12-01", priority: "low" }),
      action({ id: "none", dueDate: "2030-12-01" }),
      action({ id: "high", dueDate: "2030-12-01", priority: "high" }),
      action({ id: "earlier", dueDate: "2030-11-30", priority: "low" }),
    ]);
    expect(sorted.map((a) => a.id)).toEqual(["earlier", "high", "none", "low"]);
  });
});
