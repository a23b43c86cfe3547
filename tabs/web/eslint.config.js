// ESLint for the tab's code (npm run lint; ./test.sh runs it through Postmortems.Tabs.Tests).
// JavaScript's recommended rules, typescript-eslint's type-checked recommended rules (they read tsconfig.json,
// so they see the types the compiler sees), and the React hooks rules.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "../Postmortems.Tabs/wwwroot/"] },
  {
    files: ["src/**/*.{ts,tsx}", "vite.config.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // useLoad(load, deps) takes a dependency list as useEffect does: check it at every call the same way.
      "react-hooks/exhaustive-deps": ["error", { additionalHooks: "^useLoad$" }],
    },
  },
  {
    // act(async () => …) is how React Testing Library waits for the updates a callback starts, even when the
    // callback itself awaits nothing.
    files: ["src/test/**"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    files: ["eslint.config.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
