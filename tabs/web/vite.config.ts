/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The host serves these files at /tab/ (Postmortems.Tabs/Pages/TabPagesEndpoints.cs) from its tab-web folder,
// which the Tabs project copies from wwwroot.
export default defineConfig({
  base: "/tab/",
  plugins: [react()],
  build: {
    outDir: "../Postmortems.Tabs/wwwroot",
    emptyOutDir: true,
    assetsDir: "assets",
    // Fluent UI is most of the bundle; one chunk of ~600 kB is expected and cached for a year.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev` beside ./run.sh: the API runs on the app's port.
    proxy: { "/api": "http://localhost:3978" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    // ./test.sh runs every test project at once on 2 cores: a jsdom test that takes 1 s alone can take several.
    testTimeout: 20_000,
  },
});
