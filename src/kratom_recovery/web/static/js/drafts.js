// Unsent check-in answers (js/checkin.js keeps them in this tab's sessionStorage) are removed
// once the server has the check-in (the page after saving carries data-checkin-saved) and
// when the person signs out, so nothing personal is left in the browser.
(function () {
  "use strict";
  var PREFIX = "checkin-draft:";

  function clear() {
    var store;
    try { store = window.sessionStorage; } catch (e) { return; }
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) { store.removeItem(k); }
    }
  }

  if (document.querySelector("[data-checkin-saved]")) { clear(); }
  var signOut = document.querySelector("form[data-sign-out]");
  if (signOut) { signOut.addEventListener("submit", clear); }
}());
