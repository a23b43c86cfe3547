import { Link as FluentLink } from "@fluentui/react-components";
import { markInPageNavigation } from "./pages/PageHeading";
import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

// Five routes under /tab/ do not need a routing library: the path is matched here, links push history entries.
export const basePath = "/tab/";

export type Route =
  | { name: "list" }
  | { name: "postmortem"; id: string }
  | { name: "me" }
  | { name: "overview" }
  | { name: "config" }
  | { name: "notFound" };

export function matchRoute(pathname: string): Route {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname === "/tab" ? "" : null;
  if (rest === null) return { name: "notFound" };
  const parts = rest.split("/").filter((p) => p.length > 0);
  if (parts.length === 0) return { name: "list" };
  if (parts.length === 1 && parts[0] === "me") return { name: "me" };
  if (parts.length === 1 && parts[0] === "overview") return { name: "overview" };
  if (parts.length === 1 && parts[0] === "config") return { name: "config" };
  if (parts.length === 2 && parts[0] === "postmortems") {
    try {
      return { name: "postmortem", id: decodeURIComponent(parts[1]) };
    } catch {
      return { name: "notFound" };
    }
  }
  return { name: "notFound" };
}

export const routes = {
  list: () => basePath,
  postmortem: (id: string) => `${basePath}postmortems/${encodeURIComponent(id)}`,
  me: () => `${basePath}me`,
  overview: () => `${basePath}overview`,
  config: () => `${basePath}config`,
};

const NavigateContext = createContext<(href: string) => void>((href) => window.location.assign(href));

export function useNavigate() {
  return useContext(NavigateContext);
}

export function useRoute(): [Route, (href: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = (href: string) => {
    // Keep ?theme=… so a browser session stays in the theme it asked for.
    const target = new URL(href, window.location.href);
    if (!target.search) target.search = window.location.search;
    window.history.pushState(null, "", target.pathname + target.search);
    markInPageNavigation();
    setPath(target.pathname);
    window.scrollTo?.(0, 0);
  };
  return [matchRoute(path), navigate];
}

export const NavigateProvider = NavigateContext.Provider;

/** An ordinary link (open in a new tab and copy work as usual) that stays in the page on a plain click. */
export function Link({ href, onClick, children }: Pick<AnchorHTMLAttributes<HTMLAnchorElement>, "onClick" | "children"> & { href: string }) {
  const navigate = useNavigate();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <FluentLink href={href} onClick={handle}>
      {children}
    </FluentLink>
  );
}
