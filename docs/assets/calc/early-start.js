// Start fetching Python the moment a page holding a calculator begins to load. Inlined at
// the top of the <head> of those pages only (before the stylesheets, which would hold
// back an external script); allowed by its hash in the Content-Security-Policy. The
// worker is held (its name ends in ";held"): it downloads Pyodide, the snapshot and the
// wheel at once, and spends CPU on them only when runtime.js, loaded at the end of the
// body, adopts it and says START, so the page's own first layout and scripts do not
// share the cores with a wasm compile. runtime.js then replays what the worker said
// meanwhile, each message with the time it arrived.
"use strict";

(() => {
  if (window.__calcEarly || window.calcRuntime) return;  // once per tab
  try {
    const url = new URL(document.currentScript.dataset.worker, document.baseURI);
    // The boot hint: a copy of runtime.js's bootHint (this script cannot import it).
    const forced = new URLSearchParams(location.search).get("calc-boot");
    const net = navigator.connection;
    const name = forced === "snapshot" || forced === "plain" ? forced
      : !net ? "" : net.saveData ? "save-data" : /2g|3g/.test(net.effectiveType) ? "slow" : "";
    const worker = new Worker(url, { type: "module", name: name + ";held" });
    const early = { worker, messages: [], error: "" };
    worker.onmessage = (event) => early.messages.push([event.data, performance.now()]);
    worker.onerror = (event) => {
      event.preventDefault();
      early.error = event.message || "the worker script failed";
    };
    window.__calcEarly = early;
  } catch {
    // runtime.js will try again and report what fails.
  }
})();
