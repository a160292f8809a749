// The time-zone choice on sign-up and onboarding: filled in from this device's zone when
// empty, and the device's zone offered when it differs from the one chosen. The person
// sees and confirms it by submitting; nothing is sent from here.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { return true; }
    }
    return false;
  }
  function note(select, text) {
    var p = document.createElement("p");
    p.className = "zone-note";
    p.setAttribute("role", "status");
    p.setAttribute("data-testid", "zone-note");
    p.textContent = text.replace("{zone}", zone.replace(/_/g, " "));
    select.insertAdjacentElement("afterend", p);
    return p;
  }
  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    if (!zone || !hasOption(select, zone)) { return; }
    if (select.value === "") {
      select.value = zone;
      note(select, select.getAttribute("data-filled-text") || "{zone}");
    } else if (select.value !== zone) {
      var p = note(select, select.getAttribute("data-differs-text") || "{zone}");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.textContent = (select.getAttribute("data-use-text") || "{zone}")
        .replace("{zone}", zone.replace(/_/g, " "));
      button.addEventListener("click", function () {
        select.value = zone;
        p.textContent = (select.getAttribute("data-filled-text") || "{zone}")
          .replace("{zone}", zone.replace(/_/g, " "));
        select.focus();
      });
      p.appendChild(document.createTextNode(" "));
      p.appendChild(button);
    }
  });
})();
