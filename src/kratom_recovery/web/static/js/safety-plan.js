// The safety plan page: a Print button (without JavaScript the page says to use the browser's
// Print; the print stylesheet lays the plan out either way).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
