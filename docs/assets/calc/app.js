// The calculators' entry module (extra_javascript, type: module): mounts a controller
// on each calculator after every page load and instant navigation, binds the questions
// and the movable numbers in the prose, registers the service worker, and lets the
// theme build its search index once Python has started (search-worker.js). Modules:
// protocol.js (page <-> worker messages), worker.js (Python), runtime.js (the worker
// client), controller.js, url-state.js, actions.js, powers.js, print.js; loaded when a
// page needs them: predict.js, nudge.js, compare.js, downloads.js.
import { mount, restoreAll } from "./controller.js";
import { copyPowersAsTyped } from "./powers.js";
import { preparePrint } from "./print.js";
import { runtime, surface } from "./runtime.js";

// Calculators first: questions and numbers in the prose act on them. Their code loads
// only on the pages that have them.
async function mountAll() {
  await mount();
  if (document.querySelector("[data-reading-root]")) {
    import("./reading.js").then((m) => m.mountReading(), reportError);
  }
  if (document.querySelector("[data-question]")) {
    import("./predict.js").then((m) => m.mountQuestions(), reportError);
  }
  if (document.querySelector("[role=spinbutton][data-nudge]")) {
    import("./nudge.js").then((m) => m.mountNudges(), reportError);
  }
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

// A chart's skip link moves focus past the chart and its table. The browser does so for
// a fragment link it follows, but the theme's instant navigation may take the click
// first (it scrolls, and focus stays on the link): so the target takes focus here.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a.calc__skip") : null;
  const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  if (location.hash !== link.hash) history.pushState(history.state, "", link.hash);
  target.focus();
});

// Warm-up: Python starts on every page, not only on those holding a calculator (where
// the controllers start it at once), so that a calculator reached by a link is ready
// when the reader arrives; instant navigation keeps the worker. Here it waits until the
// page has loaded and the main thread is idle, and never starts under Save-Data or
// while the tab is hidden (it does once the reader comes back to it).
function warmUp() {
  if (runtime.state !== "idle") return;
  if (document.visibilityState === "hidden") {
    document.addEventListener("visibilitychange", warmUp, { once: true });
    return;
  }
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 200));
  idle(() => (document.visibilityState === "hidden" ? warmUp() : runtime.start()), { timeout: 2000 });
}

// The service worker (sw.js at the site's root) keeps the site, Pyodide included,
// for repeat visits and offline reading. It is registered once the page is quiet, after
// Python is ready (its first fill of the cache then comes from the HTTP cache, not a
// second download), or a second after `load` where Python is not started.
let registered = false;
function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || registered) return;
  registered = true;
  navigator.serviceWorker.register(new URL("../../sw.js", import.meta.url)).catch(() => {});
}
const whenReady = () => runtime.state === "ready" && registerServiceWorker();
runtime.on("state", whenReady);

// The theme's search index (about 150 ms of CPU in its worker) is built once Python is
// ready and the reader has paused (QUIET_MS without input, so the build does not share
// the cores with their first edits; MAX_HOLD_MS at most), or once Python has failed;
// on a page where Python has not started, at `load`; and at once when the reader goes
// to the search box. search-worker.js holds it until this says "go" (on a
// BroadcastChannel; "hold" tells it this page decides; it asks in case it started after
// the word).
const QUIET_MS = 1000;
const MAX_HOLD_MS = 10000;
let searchGo = false;
const searchChannel = typeof BroadcastChannel === "function" ? new BroadcastChannel("calc-search") : null;
function releaseSearch() {
  if (searchGo || !searchChannel) return;
  searchGo = true;
  searchChannel.postMessage("go");
}
let searchWaits = false;
function releaseSearchWhenQuiet() {
  if (searchGo || searchWaits) return;
  searchWaits = true;
  const cap = setTimeout(done, MAX_HOLD_MS);
  let quiet = 0;
  function wait() {
    clearTimeout(quiet);
    quiet = setTimeout(done, QUIET_MS);
  }
  function done() {
    clearTimeout(cap);
    clearTimeout(quiet);
    document.removeEventListener("input", wait, true);
    releaseSearch();
  }
  document.addEventListener("input", wait, true);
  wait();
}
const searchSay = () => searchChannel.postMessage(searchGo ? "go" : "hold");
if (searchChannel) {
  searchChannel.onmessage = (event) => event.data === "ask" && searchSay();
  searchSay();
}
runtime.on("state", () => {
  if (runtime.state === "error") releaseSearch();
  else if (runtime.state === "ready") releaseSearchWhenQuiet();
});
document.addEventListener("focusin", (event) => event.target instanceof Element && event.target.closest("[data-md-component=search]") && releaseSearch());

function loaded() {
  whenReady();
  if (runtime.state === "idle") releaseSearch();
  if (!(navigator.connection && navigator.connection.saveData)) warmUp();
  else if (runtime.state === "idle") setTimeout(registerServiceWorker, 1000);
}
if (document.readyState === "complete") loaded();
else window.addEventListener("load", loaded);

// Read-only, for tests and the benchmark: stats() and on("state" | "reply", listener).
window.calcRuntime = surface;
