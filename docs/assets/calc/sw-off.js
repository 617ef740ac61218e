// The service worker when a build switches it off (SERVICE_WORKER=0, as `make serve`
// does): written to the site's root as sw.js in place of sw.js's template, it deletes
// the site's caches and unregisters itself. "__PREFIX__" is filled in by the build.
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const key of await caches.keys()) {
    if (key.startsWith("__PREFIX__")) await caches.delete(key);
  }
  await self.registration.unregister();
})()));
