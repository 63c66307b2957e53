// The reminders page: "Turn on notifications on this device". The browser asks for permission only
// when the button is pressed, never on page load. Without this file the rest of the page works.
(function () {
  "use strict";

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // The VAPID key comes as base64url; pushManager.subscribe wants its bytes.
  function keyBytes(base64url) {
    var padded = base64url.replace(/-/g, "+").replace(/_/g, "/");
    padded += "====".slice(0, (4 - (padded.length % 4)) % 4);
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function setUp() {
    var panel = document.getElementById("push-panel");
    var button = document.getElementById("push-on");
    var status = document.getElementById("push-status");
    if (!panel || !button || !status) return;
    var needsJs = panel.querySelector(".push-needs-js");
    if (needsJs) needsJs.hidden = true;
    button.hidden = false;

    function say(key, problem) {
      status.textContent = panel.getAttribute("data-" + key);
      status.classList.toggle("push-problem", !!problem);
    }

    function addDevice(id) {
      var list = document.getElementById("device-list");
      if (!list) return;
      var none = list.querySelector(".device-none");
      if (none) none.remove();
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = panel.getAttribute("data-this-device");
      var form = document.createElement("form");
      form.method = "post";
      form.className = "inline-form";
      form.action = panel.getAttribute("data-remove-url").replace("00000000-0000-0000-0000-000000000000", id);
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf();
      var remove = document.createElement("button");
      remove.type = "submit";
      remove.className = "button";
      remove.textContent = panel.getAttribute("data-remove-label");
      form.appendChild(token);
      form.appendChild(remove);
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(form);
      list.appendChild(item);
    }

    function fail(key) {
      var error = new Error(key);
      error.say = key;
      throw error;
    }

    function fetchKey() {
      return fetch(panel.getAttribute("data-key-url"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 503) fail("no-key");
        if (!response.ok) fail("failed");
        return response.json();
      }).then(function (body) { return body.public_key; });
    }

    function send(subscription) {
      return fetch(panel.getAttribute("data-subscribe-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(subscription.toJSON())
      }).then(function (response) {
        if (!response.ok) fail("failed");
        return response.json().then(function (body) { return { created: response.status === 201, id: body.id }; });
      });
    }

    // Which listed device is this browser: its subscription's endpoint, hashed as the page lists
    // it. Asking for the subscription needs no permission, so it is done on load.
    function hex(buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    }

    function markThisDevice() {
      if (!supported() || !window.crypto || !window.crypto.subtle) return;
      navigator.serviceWorker.getRegistration("/").then(function (registration) {
        return registration ? registration.pushManager.getSubscription() : null;
      }).then(function (subscription) {
        if (!subscription) return null;
        return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(subscription.endpoint));
      }).then(function (digest) {
        if (!digest) return;
        var items = document.querySelectorAll("#device-list li[data-device]");
        for (var i = 0; i < items.length; i++) {
          if (items[i].getAttribute("data-device") !== hex(digest)) continue;
          var mark = document.createElement("strong");
          mark.className = "this-device";
          mark.textContent = panel.getAttribute("data-this-one") + " · ";
          items[i].firstElementChild.insertBefore(mark, items[i].firstElementChild.firstChild);
        }
      }).catch(function () { /* the list simply stays unmarked */ });
    }
    markThisDevice();

    button.addEventListener("click", function () {
      if (!supported()) { say("unsupported", true); return; }
      say("working");
      button.disabled = true;
      // The permission question first, straight from the press: browsers refuse it otherwise.
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") fail("denied");
        return Promise.all([
          navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return navigator.serviceWorker.ready; }),
          fetchKey()
        ]);
      }).then(function (parts) {
        var registration = parts[0], key = parts[1];
        return registration.pushManager.getSubscription().then(function (existing) {
          return existing || registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
        });
      }).then(send).then(function (result) {
        if (result.created) {
          addDevice(result.id);
          say("done");
        } else {
          say("already");
        }
      }).catch(function (error) {
        // A browser without a push service (some headless or private modes, some privacy
        // settings) fails in subscribe with AbortError or NotSupportedError.
        var name = error && error.name;
        var key = error && error.say ? error.say
          : (name === "AbortError" || name === "NotSupportedError" ? "unsupported" : "failed");
        say(key, true);
      }).then(function () { button.disabled = false; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
