/* Offline queue: "Cramp now" and the morning check-in are kept in IndexedDB when the network is away,
   each with its id, and sent exactly once when it returns (the server treats a repeated id as the
   same entry). Without JavaScript the forms post as usual. */
(function () {
  "use strict";
  if (!("indexedDB" in window) || !window.fetch) return;

  var DB_NAME = "crampwise", STORE = "outbox";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out = fn(store);
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function put(entry) { return tx("readwrite", function (s) { return s.put(entry); }); }
  function remove(key) { return tx("readwrite", function (s) { return s.delete(key); }); }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  var status = document.getElementById("outbox-status");
  function show(text) { if (status) { status.textContent = text; status.hidden = !text; } }
  // Times as the rest of the app shows them: 24-hour hours and minutes, in the person's zone (from
  // the page's <meta name="time-zone">; the device's own zone if the page has none).
  function clock(instant) {
    var meta = document.querySelector('meta[name="time-zone"]');
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (meta && meta.content) options.timeZone = meta.content;
    try { return new Intl.DateTimeFormat("en-GB", options).format(instant); }
    catch (e) { delete options.timeZone; return new Intl.DateTimeFormat("en-GB", options).format(instant); }
  }
  function label(entry) {
    return entry.kind === "episode" ? (status.dataset.cramp + " " + clock(new Date(entry.body.started_at)))
                                    : (status.dataset.night + " " + entry.night);
  }
  function refresh(sentCount) {
    return all().then(function (entries) {
      var parts = [];
      if (entries.length) parts.push(status.dataset.waiting.replace("%s", entries.length) + ": " + entries.map(label).join(", "));
      if (sentCount) parts.push(status.dataset.sent.replace("%s", sentCount));
      show(parts.join(" "));
      return entries;
    });
  }

  function send(entry) {
    var url = entry.kind === "episode" ? "/api/v1/episodes" : "/api/v1/nights/" + entry.night;
    return fetch(url, {
      method: entry.kind === "episode" ? "POST" : "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(entry.body),
    });
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = all().then(function (entries) {
      var sent = 0, chain = Promise.resolve();
      entries.sort(function (a, b) { return a.created - b.created; }).forEach(function (entry) {
        chain = chain.then(function () {
          return send(entry).then(function (response) {
            if (response.ok) { sent += 1; return remove(entry.key); }
            // Logged out or CSRF token changed: keep everything until the next login.
            if (response.status === 401 || response.status === 403 || response.status === 429 || response.status >= 500) {
              throw new Error("later");
            }
            // The server refused this entry for good (for example a night in the future): drop it, say so.
            entry.error = response.status;
            return remove(entry.key);
          });
        });
      });
      return chain.catch(function () { /* offline again, or logged out: keep the rest */ })
        .then(function () { return refresh(sent); });
    }).finally(function () { flushing = null; });
    return flushing;
  }

  function queue(entry) {
    entry.created = Date.now();
    return put(entry).then(function () {
      if ("serviceWorker" in navigator && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("crampwise-outbox"); }).catch(function () {});
      }
      return refresh(0);
    });
  }

  // "Cramp now": send at once when possible, otherwise keep it with its start time.
  var crampForm = document.querySelector("form.cramp-now");
  if (crampForm) {
    crampForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var idInput = crampForm.querySelector("input[name=id]");
      var entry = { key: "episode:" + idInput.value, kind: "episode",
                    body: { id: idInput.value, started_at: new Date().toISOString() } };
      idInput.value = uuid();  // the next tap is a new cramp
      send(entry).then(function (response) {
        if (response.ok) { window.location.href = "/night/episode/" + entry.body.id + "/"; return; }
        if (response.status === 401 || response.status === 403) return queue(entry);
        return queue(entry);
      }, function () { return queue(entry).then(function () { show(status.dataset.saved + " " + status.textContent); }); });
    });
  }

  // The morning check-in: posted as usual when online; kept on the phone when not.
  var checkin = document.querySelector("form[data-offline-night]");
  if (checkin) {
    checkin.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      queue({ key: "night:" + checkin.dataset.offlineNight, kind: "night", night: checkin.dataset.offlineNight,
              body: nightBody(new FormData(checkin)) }).then(function () {
        show(status.dataset.saved + " " + status.textContent);
        window.scrollTo(0, 0);
      });
    });
  }

  function nightBody(data) {
    var number = function (v) { return v === null || v === "" ? null : Number(v); };
    var cramps = data.get("cramps");
    var body = {
      cramps: cramps === "5+" ? number(data.get("cramps_more")) : number(cramps),
      worst_pain: number(data.get("worst_pain")),
      minutes_awake: number(data.get("minutes_awake")),
      sleep_quality: number(data.get("sleep_quality")),
      soreness: number(data.get("soreness")),
      factors: {},
      medicines_taken: data.getAll("medicines_taken"),
      note: data.get("note") || "",
    };
    data.forEach(function (value, name) {
      if (name.indexOf("f_") !== 0 || value === "") return;
      body.factors[name.slice(2)] = value === "yes" ? true : value === "no" ? false : Number(value);
    });
    return body;
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "flush") flush();
    });
  }
  window.addEventListener("online", flush);
  if (status) { status.dataset.ready = "1"; }
  flush();
  window.crampwiseOutbox = { flush: flush, all: all };
})();
