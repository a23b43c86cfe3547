import {
  FluentProvider,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  type Theme,
} from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { createApi, type Api } from "./api";
import { AnnouncerProvider, CardMemoryProvider } from "./components/memory";
import { ServicesProvider } from "./context";
import { ConfigPage } from "./pages/ConfigPage";
import { MyActions } from "./pages/MyActions";
import { OverviewPage } from "./pages/OverviewPage";
import { PageHeading } from "./pages/PageHeading";
import { PostmortemList } from "./pages/PostmortemList";
import { PostmortemPage } from "./pages/PostmortemPage";
import { Link, NavigateProvider, routes, useRoute, type Route } from "./router";
import type { Host, TeamsTheme } from "./teams";

export const themes: Record<TeamsTheme, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

const useStyles = makeStyles({
  root: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  header: {
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
  },
  nav: {
    "& ul": { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, listStyleType: "none", margin: 0, padding: 0 },
  },
  main: {
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    maxWidth: "90rem",
    boxSizing: "border-box",
    // Teams' narrowest tab is 320 px: nothing may push the page wider than that.
    minWidth: 0,
    "@media (max-width: 480px)": { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}` },
  },
  skip: {
    position: "absolute",
    left: "-10000px",
    ":focus": { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 1, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
});

export function App({ host, api: givenApi }: { host: Host; api?: Api }) {
  const styles = useStyles();
  const [theme, setTheme] = useState<TeamsTheme>(host.theme);
  const api = useMemo(() => givenApi ?? createApi(() => host.getToken()), [givenApi, host]);
  const [route, navigate] = useRoute();

  useEffect(() => host.onThemeChange(setTheme), [host]);

  return (
    <FluentProvider theme={themes[theme]} className={styles.root} data-theme={theme}>
      <ServicesProvider host={host} api={api}>
        <NavigateProvider value={navigate}>
          <AnnouncerProvider>
            <a href="#main" className={styles.skip}>
              Skip to content
            </a>
            {route.name !== "config" && (
              <header className={styles.header}>
                <nav aria-label="Postmortems tab" className={styles.nav}>
                  <ul>
                    <li>
                      <Link href={routes.list()}>All postmortems</Link>
                    </li>
                    <li>
                      <Link href={routes.me()}>My actions</Link>
                    </li>
                    <li>
                      <Link href={routes.overview()}>Overview</Link>
                    </li>
                  </ul>
                </nav>
              </header>
            )}
            <main id="main" className={styles.main}>
              <CardMemoryProvider key={routeKey(route)}>
                <Page route={route} />
              </CardMemoryProvider>
            </main>
          </AnnouncerProvider>
        </NavigateProvider>
      </ServicesProvider>
    </FluentProvider>
  );
}

function routeKey(route: Route): string {
  return route.name === "postmortem" ? `postmortem:${route.id}` : route.name;
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case "list":
      return <PostmortemList />;
    case "postmortem":
      return <PostmortemPage id={route.id} />;
    case "me":
      return <MyActions />;
    case "overview":
      return <OverviewPage />;
    case "config":
      return <ConfigPage />;
    default:
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            This link doesn't lead anywhere. <Link href={routes.list()}>See all postmortems</Link>.
          </p>
        </>
      );
  }
}
