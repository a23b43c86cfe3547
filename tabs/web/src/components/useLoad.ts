import { useCallback, useEffect, useState } from "react";

export type Load<T> = { state: "loading" } | { state: "error"; error: unknown } | { state: "ready"; data: T };

/** Runs load() now and whenever a dependency changes; reload() runs it again (the "Try again" button). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Load<T>, () => void, (data: T) => void] {
  const [result, setResult] = useState<Load<T>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setResult({ state: "loading" });
    load().then(
      (data) => current && setResult({ state: "ready", data }),
      (error: unknown) => current && setResult({ state: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const set = useCallback((data: T) => setResult({ state: "ready", data }), []);
  return [result, reload, set];
}
