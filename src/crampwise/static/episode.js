// The cramp page: choosing a muscle in the relief guide ticks "Where?" and shows its stretch, and
// ticking "Where?" shows the stretch too; no page load. Without this file the guide's links reload
// the page with ?muscle=, which fills "Where?" on the server.
(function () {
  "use strict";
  function start() {
    var guide = document.querySelector("[data-relief-form]");
    if (!guide) return;
    var form = document.getElementById(guide.getAttribute("data-relief-form"));
    function show(muscle) {
      var known = guide.querySelector('[data-stretch="' + muscle + '"]');
      if (!known) return;
      guide.querySelectorAll("[data-stretch]").forEach(function (el) {
        el.hidden = el !== known;
      });
      guide.querySelectorAll("a[data-muscle]").forEach(function (link) {
        var current = link.getAttribute("data-muscle") === muscle;
        link.classList.toggle("button-primary", current);
        if (current) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
    }
    guide.querySelectorAll("a[data-muscle]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var muscle = link.getAttribute("data-muscle");
        var radio = form && form.querySelector('input[name="muscle"][value="' + muscle + '"]');
        if (radio) radio.checked = true;
        show(muscle);
      });
    });
    if (form) {
      form.querySelectorAll('input[name="muscle"]').forEach(function (radio) {
        radio.addEventListener("change", function () { if (radio.checked) show(radio.value); });
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
