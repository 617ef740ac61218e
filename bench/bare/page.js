// The bare page's only script: start the bare worker and record, on the page's clock,
// when it says `1+1` was computed (window.__bare, read by bench/measure.py).
"use strict";

const worker = new Worker("worker.js", { type: "module" });
worker.onmessage = (event) => {
  window.__bare = { at: performance.now(), ...event.data };
  document.getElementById("out").textContent = JSON.stringify(window.__bare);
};
worker.onerror = (event) => {
  window.__bare = { at: performance.now(), error: event.message || "the worker failed" };
};
