import { app, authentication, pages, people } from "@microsoft/teams-js";
import type { Person } from "./types";

export type TeamsTheme = "default" | "dark" | "contrast";

export interface Host {
  inTeams: boolean;
  theme: TeamsTheme;
  getToken(): Promise<string | null>;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
  /** Teams' own people picker, where the host has one; null elsewhere. */
  pickPerson: ((current: Person | null) => Promise<Person | null>) | null;
  saveTabConfig(postmortemId: string): Promise<void>;
}

/**
 * Finds out whether the page runs inside Teams (or Outlook / the Microsoft 365 app). Outside a host,
 * app.initialize() never answers, so it gets a short time before the page treats itself as a plain web page.
 */
export async function connectToHost(search: string, timeoutMs = 2000): Promise<Host> {
  const inTeams = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
  ]);
  if (!inTeams) return browserHost(search);

  let theme: TeamsTheme = "default";
  try {
    theme = toTheme((await app.getContext()).app.theme);
  } catch {
    // The context is only for the theme: light is a fine fallback.
  }
  app.notifyAppLoaded();
  void app.notifySuccess().catch(() => undefined);

  return {
    inTeams: true,
    theme,
    // Teams caches the token and renews it: ask every time, never keep it.
    getToken: () => authentication.getAuthToken(),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((name) => handler(toTheme(name))),
    pickPerson: safeIsSupported(() => people.isSupported())
      ? async (current) => {
          const [chosen] = await people.selectPeople({ singleSelect: true, setSelected: current ? [current.id] : [] });
          return chosen ? { id: chosen.objectId, name: chosen.displayName ?? chosen.email ?? chosen.objectId } : null;
        }
      : null,
    async saveTabConfig(postmortemId) {
      const url = `${window.location.origin}/tab/postmortems/${encodeURIComponent(postmortemId)}`;
      await pages.config.setConfig({
        entityId: postmortemId,
        contentUrl: url,
        websiteUrl: url,
        suggestedDisplayName: "Postmortem",
      });
      pages.config.setValidityState(true);
    },
  };
}

/** A plain browser (local development): no token, light theme unless ?theme=dark or ?theme=contrast. */
export function browserHost(search: string): Host {
  return {
    inTeams: false,
    theme: toTheme(new URLSearchParams(search).get("theme")),
    getToken: () => Promise.resolve(null),
    onThemeChange: () => undefined,
    pickPerson: null,
    saveTabConfig: () => Promise.reject(new Error("The configuration page only works inside Teams.")),
  };
}

export function toTheme(name: string | null | undefined): TeamsTheme {
  return name === "dark" || name === "contrast" ? name : "default";
}

function safeIsSupported(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
