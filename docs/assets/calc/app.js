// The calculators' entry module (extra_javascript, type: module): mounts a controller
// on each calculator after every page load and instant navigation, binds the questions
// and the movable numbers in the prose, and registers the service worker. Modules:
// protocol.js (page <-> worker messages), worker.js (Python), runtime.js (the worker
// client), controller.js, url-state.js, actions.js, predict.js, nudge.js, powers.js,
// print.js.
import { mount, restoreAll } from "./controller.js";
import { mountNudges } from "./nudge.js";
import { copyPowersAsTyped } from "./powers.js";
import { mountQuestions } from "./predict.js";
import { preparePrint } from "./print.js";
import { runtime, surface } from "./runtime.js";

// Calculators first: questions and numbers in the prose act on them.
async function mountAll() {
  await mount();
  mountQuestions();
  mountNudges();
}

// mkdocs-material emits document$ on the first load and after each instant
// navigation; mounting is idempotent.
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(mountAll);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll);
} else {
  mountAll();
}
window.addEventListener("popstate", restoreAll);
copyPowersAsTyped();
preparePrint();

// The service worker (sw.js at the site's root) keeps the site, Pyodide included,
// for repeat visits and offline reading. It is registered once the page is quiet:
// after Python is ready on a calculator page (its first fill of the cache then comes
// from the HTTP cache, not a second download), after `load` elsewhere.
let registered = false;
function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || registered) return;
  registered = true;
  navigator.serviceWorker.register(new URL("../../sw.js", import.meta.url)).catch(() => {});
}
const whenQuiet = () => {
  if (runtime.state === "ready") registerServiceWorker();
  else if (runtime.state === "idle") setTimeout(registerServiceWorker, 1000);
};
runtime.on("state", whenQuiet);
if (document.readyState === "complete") whenQuiet();
else window.addEventListener("load", whenQuiet);

// Read-only, for tests and the benchmark: stats() and on("state" | "reply", listener).
window.calcRuntime = surface;
