import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { postmortem, renderApp } from "./helpers";

const page = "/tab/postmortems/pm1";

describe("the analysis on the postmortem page", () => {
  it("puts the sections in the practice's order", async () => {
    renderApp(page, { "GET /api/postmortems/pm1": { body: postmortem() } });

    await screen.findByRole("heading", { level: 1, name: "Checkout errors" });
    const sections = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
    expect(sections).toEqual([
      "What is missing",
      "Summary",
      "Services and tags",
      "Seen before",
      "Impact",
      "Timeline",
      "Contributing factors",
      "What went well",
      "Where we got lucky",
      "5 whys",
      "Remediation ideas",
      "Actions",
      "Takeaways",
    ]);
  });

  it("shows factors by category with their state, the entries they show up in, and what is missing", async () => {
    renderApp(page, {
      "GET /api/postmortems/pm1": {
        body: postmortem({
          contributingFactors: [
            { id: "f1", text: "No canary stage", category: "change", categoryTitle: "Change and deployment", state: "addressed", riskReason: null, entryIds: ["t1"], actionIds: ["a1"], author: null },
            { id: "f2", text: "One person knew the cache", category: "knowledge", categoryTitle: "Knowledge and documentation", state: "acceptedRisk", riskReason: "The cache is retired next month", entryIds: [], actionIds: [], author: null },
          ],
          missing: [{ kind: "noOwner", text: "Action “Write the runbook” has no owner.", itemId: "a9" }],
        }),
      },
    });

    const change = await screen.findByRole("region", { name: "Change and deployment" });
    expect(within(change).getByText("No canary stage")).toBeInTheDocument();
    expect(within(change).getByText("Addressed")).toBeInTheDocument();
    expect(within(change).getByText(/Shows up in: .*Release 42 deployed/)).toBeInTheDocument();
    const knowledge = screen.getByRole("region", { name: "Knowledge and documentation" });
    expect(within(knowledge).getByText("Accepted risk")).toBeInTheDocument();
    expect(within(knowledge).getByText("Accepted because: The cache is retired next month")).toBeInTheDocument();
    const missing = screen.getByRole("region", { name: "What is missing" });
    expect(within(missing).getByText("Action “Write the runbook” has no owner.")).toBeInTheDocument();
  });

  it("lists what went well and where we got lucky with their authors", async () => {
    renderApp(page, { "GET /api/postmortems/pm1": { body: postmortem() } });

    const well = await screen.findByRole("region", { name: "What went well" });
    expect(within(well).getByText("The pager alert fired within a minute")).toBeInTheDocument();
    expect(within(well).getByText("(Ana)")).toBeInTheDocument();
    const lucky = screen.getByRole("region", { name: "Where we got lucky" });
    expect(within(lucky).getByText("The cache expert was at their desk")).toBeInTheDocument();
    expect(within(lucky).getByText("(Ben)")).toBeInTheDocument();
  });

  it("shows hostile text in factors and lists as the words they are", async () => {
    const evil = '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))';
    renderApp(page, {
      "GET /api/postmortems/pm1": {
        body: postmortem({
          contributingFactors: [{ id: "f1", text: evil, category: null, categoryTitle: null, state: "open", riskReason: null, entryIds: [], actionIds: [], author: { id: "u", name: evil } }],
          wentWell: [{ id: "g", text: evil, author: { id: "u", name: evil } }],
          lucky: [{ id: "l", text: evil, author: null }],
          missing: [{ kind: "openFactor", text: evil, itemId: "f1" }],
        }),
      },
    });

    expect((await screen.findAllByText(evil)).length).toBeGreaterThanOrEqual(4);
    expect(screen.getByRole("region", { name: "No category yet" })).toBeInTheDocument();
    expect(document.querySelector("main img, main strong, main a[href^='javascript']")).toBeNull();
  });
});
