// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function startTimers() {
    document.querySelectorAll(".timer[data-started]").forEach(function (el) {
      var started = Date.parse(el.getAttribute("data-started"));
      if (isNaN(started)) return;
      var warning = document.querySelector(".timer-warning");
      function tick() {
        var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
        var m = Math.floor(seconds / 60), s = seconds % 60;
        el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
        // After 10 minutes a cramp that is not easing is a reason to get help (red flag).
        if (warning && seconds >= 600 && warning.hidden) {
          warning.hidden = false;
          warning.setAttribute("role", "alert");
        }
      }
      tick();
      setInterval(tick, 1000);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startTimers);
  } else {
    startTimers();
  }
})();
