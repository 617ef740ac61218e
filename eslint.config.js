// ESLint (`make lint`) for every JavaScript file of the project: the browser tier in
// docs/assets/calc/, and the Node scripts the build and the tests run. Each file gets
// the globals of the place it runs in, and no others.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

const CALC = "docs/assets/calc";
const CLASSIC = [`${CALC}/early-start.js`, `${CALC}/sw.js`, `${CALC}/sw-off.js`, `${CALC}/search-worker.js`];
const WORKER = [`${CALC}/worker.js`, `${CALC}/snapshot.js`];

module.exports = [
  { ignores: ["site/", "build/", "dist/", "test-results/", "node_modules/", ".venv/"] },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_" }],
    },
  },
  // The page's modules. protocol.js is shared with the worker: only the language's own
  // globals, so it cannot lean on either side.
  {
    files: [`${CALC}/**/*.js`],
    ignores: [...CLASSIC, ...WORKER, `${CALC}/protocol.js`],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  { files: [`${CALC}/protocol.js`], languageOptions: { sourceType: "module", globals: {} } },
  { files: WORKER, languageOptions: { sourceType: "module", globals: globals.worker } },
  // Classic scripts: the early start is inlined into the <head>; the service worker's
  // sources are written to the site's root by hooks/service_worker.py.
  {
    files: [`${CALC}/early-start.js`],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },
  {
    files: [`${CALC}/sw.js`, `${CALC}/sw-off.js`],
    languageOptions: { sourceType: "script", globals: globals.serviceworker },
  },
  // The theme's search worker, held back (a classic worker, as the theme's is).
  {
    files: [`${CALC}/search-worker.js`],
    languageOptions: { sourceType: "script", globals: globals.worker },
  },
  // The benchmark's in-page scripts (bench/js/: an init script, and function expressions
  // that bench/measure.py passes to page.evaluate) and its bare Pyodide page.
  {
    files: ["bench/js/*.js", "bench/bare/page.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },
  // The cross-engine smoke suite's in-page probe: a function expression that
  // tests/engines/make_cases.py puts after tests/pyodide/same.mjs's same().
  {
    files: ["tests/engines/probe.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser, same: "readonly" } },
  },
  { files: ["bench/bare/worker.js"], languageOptions: { sourceType: "module", globals: globals.worker } },
  { files: ["**/*.mjs"], languageOptions: { sourceType: "module", globals: globals.node } },
  // The snapshot's container format, read by the worker and by Node alike.
  { files: [`${CALC}/snapshot-codec.mjs`], languageOptions: { sourceType: "module", globals: {} } },
  { files: ["eslint.config.js"], languageOptions: { sourceType: "commonjs", globals: globals.node } },
];
