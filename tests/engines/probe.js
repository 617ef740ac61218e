// What the smoke suite reads in a calculator page, the same in every engine. The driver
// evaluates it as make_cases.py composes it, with same() from tests/pyodide/same.mjs.
// A check returns a list of problems, each a sentence naming what differs; [] is good.
async (op, arg) => {
  const root = (calc) => document.querySelector(`[data-calculator="${calc}"]`);
  // Every output cell against CPython's reply, both ways: none missing, none extra.
  const differences = (scope, calc, want, exact) => {
    const problems = [];
    const cells = [...scope.querySelectorAll("[data-output]")];
    for (const cell of cells) {
      const key = cell.dataset.output;
      if (!want[key]) problems.push(`${calc}: output ${key} is not in CPython's reply`);
    }
    for (const [key, out] of Object.entries(want)) {
      const cell = cells.find((c) => c.dataset.output === key);
      if (!cell) {
        problems.push(`${calc}: no [data-output="${key}"]`);
        continue;
      }
      const value = cell.dataset.value;
      if (exact ? value !== out.value : !same(value, out.value, "value")) {
        problems.push(`${calc}.${key}: data-value ${value}, CPython ${out.value}`);
      }
      if (cell.dataset.text !== out.text) {
        problems.push(`${calc}.${key}: data-text ${cell.dataset.text}, CPython ${out.text}`);
      }
    }
    return problems;
  };
  if (op === "states") {
    const states = {};
    for (const calc of arg) states[calc] = root(calc) ? root(calc).dataset.state : "missing";
    const controlled = Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);
    return { states, controlled, stats: window.calcRuntime ? window.calcRuntime.stats() : null };
  }
  if (op === "outputs") {  // arg: {calc, want}
    const scope = root(arg.calc);
    return scope ? differences(scope, arg.calc, arg.want, false) : [`${arg.calc}: missing`];
  }
  // Where the driver cannot hear the console (WebKitWebDriver has no BiDi), the page
  // keeps its own record of errors from the moment "listen" runs.
  if (op === "listen") {
    if (window.smokeErrors) return window.smokeErrors;
    const errors = (window.smokeErrors = []);
    const error = console.error;
    console.error = (...args) => { errors.push(args.map(String).join(" ")); error(...args); };
    addEventListener("error", (event) => errors.push(`error: ${event.message}`));
    addEventListener("unhandledrejection", (event) => errors.push(`unhandled rejection: ${event.reason}`));
    return errors;
  }
  if (op === "prerendered") {  // arg: {calc: want}: the page's HTML as served, unscripted
    const html = await (await fetch(location.href, { cache: "no-store" })).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const problems = [];
    for (const [calc, want] of Object.entries(arg)) {
      const scope = doc.querySelector(`[data-calculator="${calc}"]`);
      if (!scope) problems.push(`${calc}: not in the served HTML`);
      else if (scope.dataset.state !== "static") problems.push(`${calc}: served as ${scope.dataset.state}`);
      else problems.push(...differences(scope, calc, want, true));
    }
    return problems;
  }
  throw new Error(`probe: no such op ${op}`);
}
