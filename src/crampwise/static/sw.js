/* crampwise service worker: pages and assets keep working offline; queued entries are sent by the page. */
"use strict";
const VERSION = "crampwise-v2";
// The cramp page's scripts too: offline at 3 a.m., the relief guide still fills "Where?" in place.
const CORE = ["/static/crampwise.css", "/static/guidance.css", "/static/crampwise.js", "/static/offline.js",
              "/static/episode.js", "/static/zone.js", "/static/copy.js", "/static/reminders.js", "/static/icon.svg",
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

// Reminders (docs/reminders.md): the server sends {"title", "body", "url", "tag"}. A tag replaces
// an older notification of the same kind rather than piling them up.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = typeof data.title === "string" && data.title ? data.title : "crampwise";
  const options = {
    body: typeof data.body === "string" ? data.body : "",
    icon: "/static/icon-192.png",
    badge: "/static/icon-192.png",
    data: { url: sameOriginPath(data.url) },
  };
  if (typeof data.tag === "string" && data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(title, options));
});

// Only a path on this site: a payload can never send a tap to another site.
function sameOriginPath(url) {
  if (typeof url !== "string" || !url) return "/";
  try {
    const target = new URL(url, self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search + target.hash : "/";
  } catch (e) {
    return "/";
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = sameOriginPath(event.notification.data && event.notification.data.url);
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      // focus() may be refused without the tap's user activation; the page still goes there.
      const same = windows.find((w) => w.url === target);
      if (same) return same.focus().catch(() => same);
      const any = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (!any || !("navigate" in any)) return self.clients.openWindow(target);
      // navigate() works only on a window this worker controls; else open a new one.
      return any.navigate(target)
        .then((w) => (w ? w.focus().catch(() => w) : self.clients.openWindow(target)))
        .catch(() => self.clients.openWindow(target));
    })
  );
});
