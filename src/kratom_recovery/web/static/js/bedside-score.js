// Bedside COWS / CIWA-Ar: the total and band update as items are tapped, and a typed resting
// pulse selects COWS item 1. The bands and pulse cut points come from the page (data-score,
// rendered from the instrument definition), so no clinical number lives here. Without
// JavaScript the total and band appear after saving.
(function () {
  "use strict";

  var box = document.getElementById("live-score");
  if (!box) { return; }
  var data = JSON.parse(box.getAttribute("data-score"));
  var form = box.closest("form");
  var total = document.getElementById("live-total");
  var band = document.getElementById("live-band");
  var missing = document.getElementById("live-missing");
  var pulse = form.querySelector("[name=resting_pulse]");
  box.hidden = false;

  function groups() {
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (input) {
      if (input.name.indexOf(data.prefix) === 0) { names[input.name] = true; }
    });
    return Object.keys(names);
  }

  function pulseScore(value) {
    // data.pulse: [{pulse: upper bound, score}], ascending; above the last: its next score.
    for (var i = 0; i < data.pulse.length; i += 1) {
      if (value <= data.pulse[i].pulse) { return data.pulse[i].score; }
    }
    return null;
  }

  function fromPulse() {
    if (!pulse || !data.pulse.length) { return; }
    var value = parseInt(pulse.value, 10);
    if (isNaN(value) || String(value) !== pulse.value.trim()) { return; }
    var score = pulseScore(value);
    var item = form.querySelectorAll("input[name='" + data.prefix + "resting-pulse']");
    if (score === null) {  // above the last cut point: the item's highest option
      score = parseInt(item[item.length - 1].value, 10);
    }
    Array.prototype.forEach.call(item, function (input) {
      input.checked = parseInt(input.value, 10) === score;
    });
  }

  function update() {
    var sum = 0, open = 0;
    groups().forEach(function (name) {
      var chosen = form.querySelector("input[name='" + name + "']:checked");
      if (chosen) { sum += parseInt(chosen.value, 10); } else { open += 1; }
    });
    total.textContent = String(sum);
    var label = "";
    data.bands.forEach(function (b) { if (sum >= b.low && sum <= b.high) { label = b.label; } });
    band.textContent = label;
    missing.textContent = open ? "(" + open + " not rated yet)" : "";
  }

  form.addEventListener("change", update);
  if (pulse) {
    pulse.addEventListener("input", function () { fromPulse(); update(); });
  }
  fromPulse();
  update();
}());
