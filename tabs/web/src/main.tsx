import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { connectToHost } from "./teams";

const root = createRoot(document.getElementById("root")!);
root.render(<p style={{ fontFamily: "sans-serif", padding: "1rem" }}>Loading…</p>);

void connectToHost(window.location.search).then((host) =>
  root.render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  ),
);
