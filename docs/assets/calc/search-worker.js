// The theme's search worker, held back while Python starts. The theme builds its search
// index (lunr) in a worker as soon as a page loads: about 150 ms of CPU, on a two-core
// machine taken from Python's start on a calculator page. The build points the theme at
// this script instead (hooks/shipping.py, hold_search); it loads the theme's worker
// (named in its URL's query) and keeps the messages the page sends it (the first is
// the index; the theme sends queries only once the index is built) until one of:
//   - the page says "go" on the BroadcastChannel "calc-search" (app.js: Python is ready
//     or has failed, or the page holds no calculator and has loaded, or the reader has
//     gone to the search box);
//   - RELEASE_MS have passed and the page has not said "hold" (our page code did not
//     run; once it has, the page alone decides: app.js has its own limit).
// The held messages are then handed to the theme's worker in the order they came. Once
// released it says so on the channel ("released:<why>", for tests). Any tab of the site
// may say "go": another tab can only end the wait early, as if nothing were held.
// A classic worker, as the theme's is; the site's language is English, so the theme's
// worker loads no lunr language files (it would look for them beside this script).
"use strict";

(() => {
  const RELEASE_MS = 5000;
  // Named in the query (the build's), or in the fragment (pages of older builds). Not
  // the fragment alone: WebKit drops it from a worker's address when a service worker
  // serves the script.
  const name = new URL(self.location.href).searchParams.get("w") || decodeURIComponent(self.location.hash.slice(1));
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) throw new Error(`not the theme's search worker: ${name}`);

  const channel = new BroadcastChannel("calc-search");
  const held = [];
  let holding = true;
  function release(why) {
    if (!holding) return;
    holding = false;
    clearTimeout(timer);
    for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
    channel.postMessage(`released:${why}`);
    channel.close();
  }
  const timer = setTimeout(release, RELEASE_MS, "timeout");
  channel.onmessage = (event) => {
    if (event.data === "go") release("page");
    else if (event.data === "hold") clearTimeout(timer);
  };
  // Registered before the theme's listener, so it sees every message first.
  self.addEventListener("message", (event) => {
    if (!holding) return;
    event.stopImmediatePropagation();
    held.push(event.data);
  });
  channel.postMessage("ask");  // the page may have spoken before this worker ran
  importScripts(new URL(`../javascripts/workers/${name}`, self.location.href).href);
})();
