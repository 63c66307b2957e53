// A "Copy" button for read-only fields (data-copy="field id"). Without this file the field still
// shows the whole text and a tap selects it; the button stays hidden.
(function () {
  "use strict";
  function fallbackCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }
  function setUp() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      var status = button.parentNode.querySelector(".copy-status");
      function say(ok) {
        if (status) status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
        if (ok) button.setAttribute("data-done", "true");
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = field.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(
            function () { say(true); },
            function () { say(fallbackCopy(field)); }
          );
        } else {
          say(fallbackCopy(field));
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
