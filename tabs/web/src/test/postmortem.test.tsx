import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { formatDate } from "../text";
import { action, postmortem, renderApp } from "./helpers";

const page = "/tab/postmortems/pm1";

describe("one postmortem", () => {
  it("shows the timeline in time order with its columns", async () => {
    renderApp(page, { "GET /api/postmortems/pm1": { body: postmortem() } });

    const timeline = await screen.findByRole("region", { name: "Timeline table" });
    const headers = within(timeline).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["Time", "Who", "What happened", "Outcome", "Expected", "Assumed"]);
    const rows = within(timeline).getAllByRole("row").slice(1);
    // Each field carries its column's name too, shown only when the table is stacked at narrow widths.
    expect(rows.map((r) => within(r).getAllByRole("cell")[1].textContent)).toEqual([
      "What happenedRelease 42 deployed",
      "What happenedPager alert fired",
      "What happenedRolled back the release",
    ]);
  });

  it("shows the summary, ideas by area, the 5 whys and the takeaways", async () => {
    renderApp(page, { "GET /api/postmortems/pm1": { body: postmortem() } });

    expect(await screen.findByRole("heading", { level: 1, name: "Checkout errors" })).toBeInTheDocument();
    expect(screen.getByText("Sev 2")).toBeInTheDocument();
    expect(screen.getByText("Card payments failed for 40 minutes.")).toBeInTheDocument();
    const detect = screen.getByRole("region", { name: "Detect" });
    expect(within(detect).getByText("Alert on the payment error rate")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Prevent" })).getByText("Canary releases for the payment service")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Quick fix" })).getByText("No ideas yet.")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Other areas of risk" })).toBeInTheDocument();
    expect(screen.getByText("The timeout was 1 s")).toBeInTheDocument();
    expect(screen.getByText("Rollbacks are fast when rehearsed")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Download as Markdown" })).toHaveAttribute("href", "/api/postmortems/pm1/export.md");
  });

  it("puts each action in the column of its status and marks overdue with words", async () => {
    renderApp(page, { "GET /api/postmortems/pm1": { body: postmortem() } });

    const columns = ["Open (1)", "In progress (1)", "Done (1)", "Won't do (1)"];
    for (const name of columns) expect(await screen.findByRole("region", { name })).toBeInTheDocument();
    const inProgress = screen.getByRole("region", { name: "In progress (1)" });
    const card = within(inProgress).getByRole("article", { name: "Write the rollback runbook" });
    expect(within(card).getByText("Overdue")).toBeInTheDocument();
    expect(within(card).getByText(/\(overdue\)/)).toBeInTheDocument();
    const open = within(screen.getByRole("region", { name: "Open (1)" })).getByRole("article");
    expect(within(open).queryByText("Overdue")).not.toBeInTheDocument();
  });

  it("marks an action done with If-Match and moves it to Done", async () => {
    const { calls } = renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": { body: action({ status: "done", etag: 'W/"9"' }), headers: { ETag: 'W/"9"' } },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });

    await userEvent.click(within(open).getByRole("button", { name: "Mark done" }));

    const done = await screen.findByRole("region", { name: "Done (2)" });
    expect(within(done).getByRole("article", { name: "Alert on payment error rate" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Open (0)" })).toBeInTheDocument();
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(patch.headers.get("If-Match")).toBe('W/"1"');
    expect(patch.body).toEqual({ status: "done" });
    await waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Saved."));
  });

  it("offers Undo after Mark done, which puts the action back with If-Match and the focus on the card", async () => {
    let patches = 0;
    const { calls } = renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": () =>
        ++patches === 1
          ? { body: action({ status: "done", etag: 'W/"9"' }), headers: { ETag: 'W/"9"' } }
          : { body: action({ status: "open", etag: 'W/"10"' }), headers: { ETag: 'W/"10"' } },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Mark done" }));

    const done = await screen.findByRole("region", { name: "Done (2)" });
    const undo = within(done).getByRole("button", { name: "Undo" });
    await waitFor(() => expect(undo).toHaveFocus());
    await waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Undo is next to this message."));

    await userEvent.click(undo);

    const reopened = await screen.findByRole("region", { name: "Open (1)" });
    expect(within(reopened).getByRole("article", { name: "Alert on payment error rate" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Undo" })).not.toBeInTheDocument();
    await waitFor(() => expect(within(reopened).getByRole("button", { name: "Change" })).toHaveFocus());
    const second = calls.filter((c) => c.method === "PATCH")[1];
    expect(second.headers.get("If-Match")).toBe('W/"9"');
    expect(second.body).toEqual({ status: "open", undoFinish: true });
    await waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Undone."));
  });

  it("an Undo after someone else changed the action says so and changes nothing", async () => {
    let patches = 0;
    const theirs = action({ status: "open", etag: 'W/"11"', updatedBy: { id: "u-megan", name: "Megan" } });
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": () =>
        ++patches === 1
          ? { body: action({ status: "done", etag: 'W/"9"' }), headers: { ETag: 'W/"9"' } }
          : { status: 412, body: { title: "Changed", status: 412, current: theirs } },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Mark done" }));
    await userEvent.click(within(await screen.findByRole("region", { name: "Done (2)" })).getByRole("button", { name: "Undo" }));

    expect((await screen.findAllByText(/So nothing was undone\./)).length).toBeGreaterThan(0);
    expect(screen.queryByRole("button", { name: "Undo" })).not.toBeInTheDocument();
  });

  it("on 412 says what changed, and saves the user's change on top with the new etag", async () => {
    const theirs = action({ status: "inProgress", dueDate: "2030-12-03", etag: 'W/"5"', updatedBy: { id: "u-megan", name: "Megan" } });
    let patches = 0;
    const { calls } = renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": () =>
        ++patches === 1
          ? { status: 412, body: { title: "Changed", status: 412, current: theirs } }
          : { body: { ...theirs, owner: { id: "", name: "Patti Fernandez" }, etag: 'W/"6"' } },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Change" }));
    const owner = screen.getByRole("textbox", { name: "Owner" });
    await userEvent.clear(owner);
    await userEvent.type(owner, "Patti Fernandez");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    // The message bar and the screen reader announcement both carry it, so there may be two.
    const warnings = await screen.findAllByText(
      `Megan changed the status to In progress and the due date to ${formatDate("2030-12-03")} while you were editing.`,
      { exact: false },
    );
    expect(warnings.length).toBeGreaterThan(0);
    // The board shows their version; the form keeps the user's input.
    expect(screen.getByRole("region", { name: "In progress (2)" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Owner" })).toHaveValue("Patti Fernandez");

    await userEvent.click(screen.getByRole("button", { name: "Save my change on top" }));

    await waitFor(() => expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(2));
    const [first, second] = calls.filter((c) => c.method === "PATCH");
    expect(first.headers.get("If-Match")).toBe('W/"1"');
    expect(second.headers.get("If-Match")).toBe('W/"5"');
    expect(second.body).toEqual({ owner: { id: "", name: "Patti Fernandez" } });
    expect(await screen.findByText("Owner: Patti Fernandez")).toBeInTheDocument();
  });

  it("on 412 can keep the other person's version without saving", async () => {
    const theirs = action({ status: "done", etag: 'W/"5"' });
    const { calls } = renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": { status: 412, body: { title: "Changed", status: 412, current: theirs } },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Mark done" }));
    // The message bar and the screen reader announcement both carry it.
    expect((await screen.findAllByText(/Someone else changed the status to Done while you were editing/)).length).toBeGreaterThan(0);

    await userEvent.click(screen.getByRole("button", { name: "Keep their version" }));

    expect(screen.queryByRole("button", { name: "Save my change on top" })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Done (2)" })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
  });

  it("on 400 shows the field's error next to its control and keeps the input", async () => {
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": {
        status: 400,
        body: { title: "One or more validation errors occurred.", status: 400, errors: { dueDate: ["Choose a date from today on."] } },
      },
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Change" }));
    const due = screen.getByLabelText("Due date");
    await userEvent.clear(due);
    await userEvent.type(due, "2020-01-01");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Choose a date from today on.")).toBeInTheDocument();
    expect(screen.getByLabelText("Due date")).toHaveValue("2020-01-01");
    expect(screen.getByLabelText("Due date")).toHaveAccessibleDescription("Choose a date from today on.");
    expect(screen.getByLabelText("Due date")).toHaveAttribute("aria-invalid", "true");
  });

  it("on a network failure says it was not saved and keeps the input", async () => {
    renderApp(page, {
      "GET /api/postmortems/pm1": { body: postmortem() },
      "PATCH /api/postmortems/pm1/actions/a1": "network-error",
    });
    const open = await screen.findByRole("region", { name: "Open (1)" });
    await userEvent.click(within(open).getByRole("button", { name: "Change" }));
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Status" }), "In progress");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect((await screen.findAllByText("Not saved. Please try again; your changes are still here.")).length).toBeGreaterThan(0);
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveValue("inProgress");
  });

  it("renders HTML and Markdown in user text as literal text", async () => {
    const evil = '<script>alert("x")</script> **bold** [link](http://evil.example) <img src=x onerror=alert(1)>';
    renderApp(page, {
      "GET /api/postmortems/pm1": {
        body: postmortem({
          title: evil,
          summary: evil,
          actions: [action({ title: evil })],
          takeaways: [{ id: "k", text: evil, author: null }],
        }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: evil })).toBeInTheDocument();
    expect(screen.getAllByText(evil).length).toBeGreaterThanOrEqual(4);
    expect(document.querySelector("main script, main img, main strong")).toBeNull();
    expect(screen.queryByRole("link", { name: "link" })).not.toBeInTheDocument();
  });

  it("shows hostile display names as the words they are", async () => {
    const name = 'Mallory](javascript:alert(1)) <b>Boss</b> *@everyone* "Q"; a,b \\ [x](http://evil.example)';
    renderApp(page, {
      "GET /api/postmortems/pm1": {
        body: postmortem({
          facilitator: { id: "u-mallory", name },
          actions: [action({ owner: { id: "u-mallory", name } })],
          takeaways: [{ id: "k", text: "Rehearse rollbacks", author: { id: "u-mallory", name } }],
        }),
      },
    });
    expect((await screen.findAllByText(name, { exact: false })).length).toBeGreaterThanOrEqual(1);
    expect(document.querySelector("main b, main strong, main a[href^='javascript'], main a[href*='evil']")).toBeNull();
  });
});
