import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { figures, renderApp, tableRows } from "./helpers";

const page = "/tab/overview";

function isoDaysAgo(days: number): string {
  const d = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function query(url: string | undefined): Record<string, string> {
  return Object.fromEntries(new URL(url ?? "", "http://localhost").searchParams);
}

async function choosePeriod(from: string, to: string, label: string) {
  fireEvent.change(screen.getByLabelText("From"), { target: { value: from } });
  fireEvent.change(screen.getByLabelText("To"), { target: { value: to } });
  const tag = screen.getByLabelText("Service or tag (optional)");
  await userEvent.clear(tag);
  await userEvent.type(tag, label);
}

const quickFixNote = /Quick fixes are more than half of the ideas and actions/;

describe("the overview page", () => {
  const createObjectURL = vi.fn(() => "blob:overview");
  beforeEach(() => {
    // jsdom has no object URLs; the download needs one.
    createObjectURL.mockClear();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("asks for the last 90 days first, then for the chosen period and tag, and exports the figures shown", async () => {
    const { calls } = renderApp(page, {
      "GET /api/overview": (call) => ({ body: figures({ ...query(call.url), label: query(call.url).label ?? null }) }),
      "GET /api/overview.csv": { body: "section,item,measure,value" },
    });
    await screen.findByText(/3 postmortems from/);
    expect(query(calls[0].url)).toEqual({ from: isoDaysAgo(89), to: isoDaysAgo(0) });

    await choosePeriod("2026-01-01", "2026-03-31", "payments api");
    await userEvent.click(screen.getByRole("button", { name: "Show" }));

    expect(await screen.findByText("3 postmortems from 2026-01-01 to 2026-03-31 for “payments api”.")).toBeInTheDocument();
    const overviewCalls = calls.filter((c) => c.url.startsWith("/api/overview?"));
    expect(overviewCalls).toHaveLength(2);
    expect(query(overviewCalls[1].url)).toEqual({ from: "2026-01-01", to: "2026-03-31", label: "payments api" });

    // A change not yet applied with Show does not leak into the export: the CSV holds the figures on the page.
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2025-06-01" } });
    await userEvent.click(screen.getByRole("button", { name: "Download the figures (CSV)" }));

    await vi.waitFor(() => expect(calls.some((c) => c.url.startsWith("/api/overview.csv"))).toBe(true));
    const csv = calls.find((c) => c.url.startsWith("/api/overview.csv"));
    expect(query(csv?.url)).toEqual({ from: "2026-01-01", to: "2026-03-31", label: "payments api" });
    expect(csv?.headers.get("Accept")).toBe("text/csv");
    await vi.waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Download started."));
  });

  it("says kindly when the CSV download fails, and keeps the figures on the page", async () => {
    renderApp(page, {
      "GET /api/overview": { body: figures() },
      "GET /api/overview.csv": { status: 500, body: { title: "Internal Server Error", status: 500 } },
    });
    await screen.findByText(/3 postmortems from/);

    await userEvent.click(screen.getByRole("button", { name: "Download the figures (CSV)" }));

    // The message on the page (the screen-reader announcer may say the same words at the same time).
    expect(await screen.findByText("The download didn't work. Please try again in a moment.", { ignore: 'script, style, [data-testid="announcer"]' })).toBeInTheDocument();
    expect(createObjectURL).not.toHaveBeenCalled();
    expect(screen.getByRole("region", { name: "Postmortems per month, by severity" })).toBeInTheDocument();
  });

  it("shows every chart's table with the numbers the API sent", async () => {
    renderApp(page, { "GET /api/overview": { body: figures() } });

    await screen.findByText(/3 postmortems from/);
    for (const id of ["per-month", "medians", "members", "factors", "kinds"]) {
      expect(screen.getByTestId(`${id}-chart`)).toBeInTheDocument();
    }
    expect(tableRows("Postmortems per month, by severity")).toEqual([
      ["Month", "Sev 1", "Sev 2", "Sev 3", "Sev 4", "Severity not set", "All"],
      ["2026-01", "1", "1", "0", "0", "0", "2"],
      ["2026-02", "0", "0", "1", "0", "0", "1"],
    ]);
    expect(tableRows("Median time from the start of the incident")).toEqual([
      ["From the start to", "Median", "Postmortems with both times"],
      ["Start to detection", "12 min", "3"],
      ["Start to mitigation", "40 min", "3"],
      ["Start to postmortem meeting", "48.0 h", "2"],
      ["Start to publication", "no data", "0"],
    ]);
    expect(tableRows("Actions by team member")).toEqual([
      ["Member", "Actions", "Done", "Open", "Overdue", "Completion"],
      ["Megan Bowen", "4", "2", "1", "1", "50 %"],
      ["Alex Wilber", "3", "3", "0", "0", "100 %"],
    ]);
    expect(tableRows("Contributing factors by category")).toEqual([
      ["Category", "Factors"],
      ["Change and deployment", "3"],
      ["Not categorised yet", "1"],
    ]);
    // Kinds with nothing are left out of the chart and of its table alike.
    expect(tableRows("Remediation ideas and actions by kind")).toEqual([
      ["Kind", "Ideas", "Actions"],
      ["Detect", "2", "1"],
      ["Quick fix", "1", "1"],
      ["Prevent", "1", "0"],
    ]);
  });

  it("warns that quick fixes dominate when the figures say so", async () => {
    renderApp(page, {
      "GET /api/overview": {
        body: figures({
          kinds: [
            { kind: "detect", ideas: 1, actions: 0 },
            { kind: "react", ideas: 0, actions: 0 },
            { kind: "quickFix", ideas: 3, actions: 2 },
            { kind: "prevent", ideas: 0, actions: 1 },
            { kind: "otherAreasOfRisk", ideas: 0, actions: 0 },
          ],
          quickFixesDominate: true,
        }),
      },
    });

    const kinds = await screen.findByRole("region", { name: "Remediation ideas and actions by kind" });
    expect(within(kinds).getByText(quickFixNote)).toBeInTheDocument();
    expect(screen.getAllByText(quickFixNote)).toHaveLength(1);
  });

  it("says nothing about quick fixes when they do not dominate", async () => {
    renderApp(page, { "GET /api/overview": { body: figures({ quickFixesDominate: false }) } });

    await screen.findByRole("region", { name: "Remediation ideas and actions by kind" });
    expect(screen.queryByText(quickFixNote)).not.toBeInTheDocument();
  });

  it("lists the conditions that keep coming back with their postmortems and why they match", async () => {
    renderApp(page, {
      "GET /api/overview": {
        body: figures({
          recurringFactors: [
            {
              text: "No canary stage",
              postmortems: [
                { id: "pm1", title: "Checkout errors" },
                { id: "pm/7", title: "Login <b>outage</b>" },
              ],
              reason: "same service “payments” and same category “Change and deployment”",
            },
          ],
        }),
      },
    });

    const section = await screen.findByRole("region", { name: "Conditions that keep coming back" });
    const items = within(section).getAllByRole("listitem");
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(
      "“No canary stage” in 2 postmortems: Checkout errors, Login <b>outage</b>. Why: same service “payments” and same category “Change and deployment”.",
    );
    expect(within(items[0]).getByRole("link", { name: "Checkout errors" })).toHaveAttribute("href", "/tab/postmortems/pm1");
    expect(within(items[0]).getByRole("link", { name: "Login <b>outage</b>" })).toHaveAttribute("href", "/tab/postmortems/pm%2F7");
    expect(section.querySelector("b")).toBeNull();
  });

  it("says when no condition recurred", async () => {
    renderApp(page, { "GET /api/overview": { body: figures({ recurringFactors: [] }) } });

    const section = await screen.findByRole("region", { name: "Conditions that keep coming back" });
    expect(within(section).getByText("No contributing factor recurred in this period.")).toBeInTheDocument();
    expect(within(section).queryByRole("list")).not.toBeInTheDocument();
  });

  it("on a server error says so kindly, keeps the chosen period and tag, and tries again with them", async () => {
    let fail = false;
    const { calls } = renderApp(page, {
      "GET /api/overview": (call) =>
        fail ? { status: 503, body: { title: "Service Unavailable", status: 503 } } : { body: figures({ ...query(call.url), label: query(call.url).label ?? null }) },
    });
    await screen.findByText(/3 postmortems from/);
    fail = true;

    await choosePeriod("2026-01-01", "2026-03-31", "payments");
    await userEvent.click(screen.getByRole("button", { name: "Show" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Something went wrong on our side");
    expect(screen.getByLabelText("From")).toHaveValue("2026-01-01");
    expect(screen.getByLabelText("To")).toHaveValue("2026-03-31");
    expect(screen.getByLabelText("Service or tag (optional)")).toHaveValue("payments");
    expect(screen.queryByRole("region", { name: "Postmortems per month, by severity" })).not.toBeInTheDocument();

    fail = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("3 postmortems from 2026-01-01 to 2026-03-31 for “payments”.")).toBeInTheDocument();
    expect(query(calls.at(-1)?.url)).toEqual({ from: "2026-01-01", to: "2026-03-31", label: "payments" });
  });

  it("on a 400 shows each message next to its field and keeps what was chosen", async () => {
    let invalid = false;
    renderApp(page, {
      "GET /api/overview": () =>
        invalid
          ? {
              status: 400,
              body: {
                title: "Some values need a change",
                status: 400,
                detail: "The overview can't be shown for these values.",
                errors: { to: ["The end of the period is before its start."], label: ["A service or tag has at most 40 letters, digits, spaces, '-', '_', '.' or '/'."] },
              },
            }
          : { body: figures() },
    });
    await screen.findByText(/3 postmortems from/);
    invalid = true;

    await choosePeriod("2026-03-31", "2026-01-01", "pay;ments");
    await userEvent.click(screen.getByRole("button", { name: "Show" }));

    // The page's message; each field's message is its own small alert next to the field.
    const alert = (await screen.findByText("Some values need a change")).closest("[role=alert]") as HTMLElement;
    expect(alert).toHaveTextContent("Some values need a change");
    expect(alert).toHaveTextContent("The overview can't be shown for these values.");
    expect(alert).not.toHaveTextContent("Something went wrong");
    // Trying the same values again cannot help.
    expect(within(alert).queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    const to = screen.getByLabelText("To");
    expect(to).toHaveAttribute("aria-invalid", "true");
    expect(to).toHaveAccessibleDescription("The end of the period is before its start.");
    expect(screen.getByLabelText("Service or tag (optional)")).toHaveAccessibleDescription(/A service or tag has at most 40/);
    expect(screen.getByLabelText("From")).not.toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("From")).toHaveValue("2026-03-31");
    expect(screen.getByLabelText("Service or tag (optional)")).toHaveValue("pay;ments");
  });

  it("says plainly when the period has no postmortems, instead of drawing empty charts", async () => {
    renderApp(page, {
      "GET /api/overview": {
        body: figures({
          label: "payments",
          postmortems: 0,
          months: [],
          medians: ["detection", "mitigation", "meeting", "publication"].map((measure) => ({ measure, medianMinutes: null, postmortems: 0 })),
          members: [],
          factorCategories: [],
          kinds: (["detect", "react", "quickFix", "prevent", "otherAreasOfRisk"] as const).map((kind) => ({ kind, ideas: 0, actions: 0 })),
          quickFixesDominate: false,
          recurringFactors: [],
        }),
      },
    });

    expect(await screen.findByText("No postmortems from 2026-01-01 to 2026-03-31 for “payments”. Choose a longer period or another service or tag to see figures.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(document.querySelector("[data-testid$='-chart']")).toBeNull();
    expect(screen.queryByText("Nothing to show for this period.")).not.toBeInTheDocument();
  });

  it("shows the median table without an empty chart when no times are known yet", async () => {
    renderApp(page, {
      "GET /api/overview": { body: figures({ medians: ["detection", "mitigation", "meeting", "publication"].map((measure) => ({ measure, medianMinutes: null, postmortems: 0 })) }) },
    });

    await screen.findByText(/3 postmortems from/);
    expect(screen.queryByTestId("medians-chart")).not.toBeInTheDocument();
    expect(tableRows("Median time from the start of the incident").slice(1).map((r) => r[1])).toEqual(["no data", "no data", "no data", "no data"]);
    expect(screen.getByTestId("per-month-chart")).toBeInTheDocument();
  });
});
