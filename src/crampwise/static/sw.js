/* crampwise service worker: pages and assets keep working offline; queued entries are sent by the page. */
"use strict";
const VERSION = "crampwise-v2";
// The cramp page's scripts too: offline at 3 a.m., the relief guide still fills "Where?" in place.
const CORE = ["/static/crampwise.css", "/static/guidance.css", "/static/crampwise.js", "/static/offline.js",
              "/static/episode.js", "/static/zone.js", "/static/copy.js", "/static/icon.svg",
              "/static/icon-192.png", "/offline/"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// Pages: network first (always fresh when online), the last copy when offline, else the offline page.
// Only the pages needed at night are kept: the night log, the check-in and the home page.
const OFFLINE_PAGES = [/^\/$/, /^\/checkin\/$/, /^\/history\/\d{4}-\d{2}-\d{2}\/edit\/$/, /^\/night\/episode\//];

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && OFFLINE_PAGES.some((re) => re.test(url.pathname))) {
            const copy = response.clone();
            caches.open(VERSION).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || caches.match("/offline/")))
    );
  }
});

// Background sync (where the browser has it): wake an open page, which holds the CSRF token.
self.addEventListener("sync", (event) => {
  if (event.tag === "crampwise-outbox") {
    event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => {
      clients.forEach((client) => client.postMessage({ type: "flush" }));
    }));
  }
});
