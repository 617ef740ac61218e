// The site's service worker: a template, written to the site's root as sw.js by
// hooks/service_worker.py, which fills in the placeholders ("__VERSION__", "__PREFIX__",
// the empty FILES list).
//
// After a first visit the whole site, Pyodide included, is kept in one cache named by
// the build's content hash, and served from it: a repeat visit boots Python without
// downloading it, and every page reads offline. Each cache is one consistent version
// of the site (pages, scripts, Pyodide, the calculators wheel and the lock that checks
// it): nothing from two builds is mixed. A new build installs beside the old one and
// takes over once no tab uses the old (standard service worker life cycle); the old
// cache is then deleted.
"use strict";

const VERSION = "__VERSION__";
const FILES = [/* __FILES__ */];  // relative to this script, which sits at the site's root
const PREFIX = "__PREFIX__";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  // `no-cache` revalidates with the server, so an older copy in the HTTP cache never
  // slips into the new version (a 304 costs no download).
  event.waitUntil(caches.open(CACHE).then((cache) =>
    cache.addAll(FILES.map((file) => new Request(file, { cache: "no-cache" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key)),
  )));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // A page's query is its calculators' inputs, a worker's names what it loads (the
    // search worker's `w`): either way the cached file is the same.
    const ignoreSearch = request.mode === "navigate" || request.destination === "worker";
    const cached = await cache.match(request, { ignoreSearch });
    return cached || fetch(request);
  })());
});
