import { makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, type ReactNode } from "react";

const useStyles = makeStyles({
  heading: {
    margin: `0 0 ${tokens.spacingVerticalM}`,
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    overflowWrap: "anywhere",
    ":focus": { outline: "none" },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

/** The page's h1. After an in-page navigation it takes focus, so a screen reader announces the new page. */
export function PageHeading({ children, title }: { children: ReactNode; title?: string }) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  const text = title ?? (typeof children === "string" ? children : "");
  useEffect(() => {
    document.title = text ? `${text} · Postmortems` : "Postmortems";
  }, [text]);
  useEffect(() => {
    // Not on first load: the reader starts at the top of the page anyway.
    if (navigatedInPage) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={styles.heading}>
      {children}
    </h1>
  );
}

let navigatedInPage = false;
/** Called by the router on every in-page navigation. */
export function markInPageNavigation() {
  navigatedInPage = true;
}
