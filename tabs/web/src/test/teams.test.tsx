import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { browserHost, connectToHost } from "../teams";
import { renderApp, summary } from "./helpers";

const teams = vi.hoisted(() => ({
  initialize: vi.fn<() => Promise<void>>(),
  getContext: vi.fn(),
  registerOnThemeChangeHandler: vi.fn(),
  getAuthToken: vi.fn<() => Promise<string>>(),
  setConfig: vi.fn<(config: unknown) => Promise<void>>(),
  setValidityState: vi.fn(),
}));

vi.mock("@microsoft/teams-js", () => ({
  app: {
    initialize: teams.initialize,
    getContext: teams.getContext,
    registerOnThemeChangeHandler: teams.registerOnThemeChangeHandler,
    notifyAppLoaded: vi.fn(),
    notifySuccess: vi.fn(() => Promise.resolve()),
  },
  authentication: { getAuthToken: teams.getAuthToken },
  pages: { config: { setConfig: teams.setConfig, setValidityState: teams.setValidityState } },
  people: { isSupported: () => false, selectPeople: vi.fn() },
}));

beforeEach(() => {
  vi.clearAllMocks();
  teams.initialize.mockResolvedValue(undefined);
  teams.getContext.mockResolvedValue({ app: { theme: "default" } });
  teams.getAuthToken.mockResolvedValue("sso-token");
  teams.setConfig.mockResolvedValue(undefined);
});

const list = { "GET /api/postmortems": { body: { items: [summary(1), summary(2)], continuation: null } } };

describe("theme", () => {
  it.each([
    ["?theme=dark", "dark"],
    ["?theme=contrast", "contrast"],
    ["", "default"],
    ["?theme=<b>", "default"],
  ])("outside Teams, %s gives the %s theme", async (query, theme) => {
    const { container } = renderApp(`/tab/${query}`, list);
    await screen.findByRole("heading", { name: "Incident 1" });
    expect(container.querySelector(".fui-FluentProvider")).toHaveAttribute("data-theme", theme);
  });

  it("inside Teams follows the Teams theme and its changes", async () => {
    teams.getContext.mockResolvedValue({ app: { theme: "dark" } });
    const host = await connectToHost("?theme=contrast");
    expect(host.theme).toBe("dark");

    const { container } = renderApp("/tab/", list, host);
    await screen.findByRole("heading", { name: "Incident 1" });
    expect(container.querySelector(".fui-FluentProvider")).toHaveAttribute("data-theme", "dark");

    const onChange = teams.registerOnThemeChangeHandler.mock.calls.at(-1)![0] as (theme: string) => void;
    act(() => onChange("contrast"));
    expect(container.querySelector(".fui-FluentProvider")).toHaveAttribute("data-theme", "contrast");
  });
});

describe("sign-in", () => {
  it("inside Teams sends the SSO token on every call", async () => {
    const host = await connectToHost("");
    expect(host.inTeams).toBe(true);
    const { calls } = renderApp("/tab/", list, host);
    await screen.findByRole("heading", { name: "Incident 1" });
    expect(calls[0].headers.get("Authorization")).toBe("Bearer sso-token");
  });

  it("outside Teams calls without a token, after waiting briefly for Teams", async () => {
    teams.initialize.mockReturnValue(new Promise(() => undefined));
    const host = await connectToHost("", 20);
    expect(host.inTeams).toBe(false);
    const { calls } = renderApp("/tab/", list, host);
    await screen.findByRole("heading", { name: "Incident 1" });
    expect(calls[0].headers.has("Authorization")).toBe(false);
  });

  it("inside Teams, a 401 asks to sign in to Teams again", async () => {
    const host = await connectToHost("");
    renderApp("/tab/", { "GET /api/postmortems": { status: 401, body: { status: 401 } } }, host);
    expect(await screen.findByText("Please sign in to Teams again")).toBeInTheDocument();
  });

  it("inside Teams, a refused token asks to sign in to Teams again", async () => {
    teams.getAuthToken.mockRejectedValue(new Error("resourceDisabled"));
    const host = await connectToHost("");
    renderApp("/tab/", list, host);
    expect(await screen.findByText("Please sign in to Teams again")).toBeInTheDocument();
  });
});

describe("configuration page", () => {
  it("saves the chosen postmortem as the tab's content and website URL", async () => {
    const host = await connectToHost("");
    const { calls } = renderApp("/tab/config", list, host);

    await userEvent.click(await screen.findByRole("radio", { name: /Incident 2/ }));

    const url = `${window.location.origin}/tab/postmortems/pm2`;
    await waitFor(() =>
      expect(teams.setConfig).toHaveBeenCalledWith({ entityId: "pm2", contentUrl: url, websiteUrl: url, suggestedDisplayName: "Postmortem" }),
    );
    expect(teams.setValidityState).toHaveBeenCalledWith(true);
    expect(calls[0].url).toBe("/api/postmortems?pageSize=50&status=open");
  });

  it("outside Teams does not call Teams", async () => {
    renderApp("/tab/config", list, browserHost(""));
    expect(await screen.findByText(/Open it from Teams to add the tab/)).toBeInTheDocument();
    expect(await screen.findByRole("radio", { name: /Incident 2/ })).toBeDisabled();
    expect(teams.setConfig).not.toHaveBeenCalled();
  });
});
