import { createContext, useContext, useState, type ReactNode } from "react";

// A card moves to another board column when its status changes, and React mounts it anew there. The card's
// state (the user's input, a conflict to resolve, the last message) lives here so it survives the move.
const MemoryContext = createContext<Map<string, unknown>>(new Map());

export function CardMemoryProvider({ children }: { children: ReactNode }) {
  const [memory] = useState(() => new Map<string, unknown>());
  return <MemoryContext.Provider value={memory}>{children}</MemoryContext.Provider>;
}

export function useRememberedState<T extends object>(
  key: string,
  initial: () => T,
): [T, (change: Partial<T> | ((previous: T) => Partial<T>)) => void] {
  const memory = useContext(MemoryContext);
  if (!memory.has(key)) memory.set(key, initial());
  const [state, setState] = useState<T>(() => memory.get(key) as T);
  // Writes go to the memory first, so changes made after an await reach the card's next instance too.
  const update = (change: Partial<T> | ((previous: T) => Partial<T>)) => {
    const previous = memory.get(key) as T;
    const next = { ...previous, ...(typeof change === "function" ? change(previous) : change) };
    memory.set(key, next);
    setState(next);
  };
  return [state, update];
}

const AnnounceContext = createContext<(text: string) => void>(() => undefined);

/** One polite live region for the page: save results are read out even when the card that saved has moved. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState("");
  const announce = (next: string) => {
    // The same words twice in a row must still be read: clear, then set.
    setText("");
    setTimeout(() => setText(next), 50);
  };
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="announcer" style={visuallyHidden}>
        {text}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce() {
  return useContext(AnnounceContext);
}

export const visuallyHidden = {
  position: "absolute",
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;
