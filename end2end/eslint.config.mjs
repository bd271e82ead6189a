// Lints the page's inline script, which no compiler checks. Run from the repository's root
// with `--config end2end/eslint.config.mjs` (see .ci/test): paths are the root's, while the
// packages come from here.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["app/src/loader.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: {
        ...globals.browser,
        // Defined by the server in front of the script: the wasm's JS glue and binary.
        JS: "readonly",
        WASM: "readonly",
      },
    },
  },
];
