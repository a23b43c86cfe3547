import { useCallback, useEffect, useState } from "react";

export type Load<T> = { state: "loading" } | { state: "error"; error: unknown } | { state: "ready"; data: T };

/** Runs load() now and whenever a dependency changes; reload() runs it again (the "Try again" button). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Load<T>, () => void, (data: T) => void] {
  const [result, setResult] = useState<Load<T>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  // New dependencies show "loading" again from this very render: React's way to adjust state when props change,
  // without an effect that sets state and renders twice.
  const [loadedFor, setLoadedFor] = useState(deps);
  if (deps.length !== loadedFor.length || deps.some((d, i) => !Object.is(d, loadedFor[i]))) {
    setLoadedFor(deps);
    setResult({ state: "loading" });
  }
  useEffect(
    () => {
      let current = true;
      load().then(
        (data) => current && setResult({ state: "ready", data }),
        (error: unknown) => current && setResult({ state: "error", error }),
      );
      return () => {
        current = false;
      };
    },
    // The caller's deps are load()'s inputs (eslint.config.js has react-hooks check them at each useLoad call);
    // load itself is a new function every render and must not restart the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...deps, attempt],
  );
  const reload = useCallback(() => {
    setResult({ state: "loading" });
    setAttempt((a) => a + 1);
  }, []);
  const set = useCallback((data: T) => setResult({ state: "ready", data }), []);
  return [result, reload, set];
}
