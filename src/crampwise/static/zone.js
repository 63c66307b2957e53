// The time zone box (sign-up and profile): fill in this device's zone when the box is empty, and
// say which place a zone is and what time it is there. Without this file the person types a city.
(function () {
  "use strict";
  function clock(zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .format(new Date());
    } catch (e) {
      return null;  // not a zone name (yet): the person is still typing
    }
  }
  function place(input) {
    var list = input.list, value = input.value.trim();
    if (!list) return null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === value) return list.options[i].label;
    }
    return null;
  }
  function say(input, note, template) {
    var label = place(input), time = label && clock(input.value.trim());
    if (!note || !label || !time) return;
    note.textContent = template.replace("%(place)s", label).replace("%(time)s", time);
  }
  function setUp(input) {
    var note = document.getElementById(input.getAttribute("data-zone-input"));
    if (!input.value) {
      var device = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (device) {
        input.value = device;
        if (note) say(input, note, note.getAttribute("data-device"));
      }
    }
    input.addEventListener("change", function () { if (note) say(input, note, note.getAttribute("data-now")); });
  }
  function start() { document.querySelectorAll("input[data-zone-input]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
