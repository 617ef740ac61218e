// Start Python the moment a page holding a calculator begins to load. This script is
// in the <head> of those pages only; app.js, which runs at the end of the body, adopts
// the worker and replays what it said in the meantime.
"use strict";

(() => {
  if (window.__calcEarly || window.__calcRuntime) return;  // once per tab
  try {
    const worker = new Worker(new URL("worker.js", document.currentScript.src), { type: "module" });
    const early = { worker, messages: [], error: "" };
    worker.onmessage = (event) => early.messages.push(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      early.error = event.message || "the worker script failed";
    };
    window.__calcEarly = early;
  } catch (error) {
    // app.js will try again and report what fails.
  }
})();
