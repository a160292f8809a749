// Recovery exercises: an urge-surfing timer with prompts and a paced-breathing guide.
// Without JavaScript the pages still list the steps and prompts, and the forms work.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(seconds) { return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60); }

  document.documentElement.classList.add("js");

  var urge = document.getElementById("urge-timer");
  if (urge) {
    var display = urge.querySelector(".timer-clock");
    var controls = urge.querySelector(".timer-controls");
    var minutes = urge.querySelector("#timer-minutes");
    var start = urge.querySelector(".timer-start");
    var stop = urge.querySelector(".timer-stop");
    var now = urge.querySelector(".timer-now");
    var prompts = Array.prototype.slice.call(urge.querySelectorAll(".prompts li"));
    var done = document.querySelector("[name=seconds_done]");
    var ticking = null, total = 0, elapsed = 0;
    display.hidden = false;
    controls.hidden = false;

    var finish = function () {
      window.clearInterval(ticking);
      ticking = null;
      start.disabled = false;
      stop.disabled = true;
      if (done) { done.value = String(elapsed); }
      now.textContent = "Time is up. Rate the urge now and save below.";
      var after = document.querySelector("[name=craving_after]");
      if (after) { after.focus(); }
    };
    start.addEventListener("click", function () {
      var m = Math.min(60, Math.max(1, parseInt(minutes.value, 10) || 10));
      total = m * 60;
      elapsed = 0;
      prompts.forEach(function (li) { li.classList.remove("shown"); });
      display.textContent = clock(total);
      start.disabled = true;
      stop.disabled = false;
      ticking = window.setInterval(function () {
        elapsed += 1;
        display.textContent = clock(total - elapsed);
        prompts.forEach(function (li) {
          var at = Math.floor(parseFloat(li.getAttribute("data-fraction")) * total);
          if (elapsed >= at && !li.classList.contains("shown")) {
            li.classList.add("shown");
            now.textContent = li.textContent.replace(/^\s*\d+\s*\S+\s*/, "");
          }
        });
        if (elapsed >= total) { finish(); }
      }, 1000);
    });
    stop.addEventListener("click", finish);
  }

  var breathing = document.getElementById("breathing");
  if (breathing) {
    var circle = breathing.querySelector(".breath-circle");
    var label = breathing.querySelector(".breath-phase");
    var bControls = breathing.querySelector(".breath-controls");
    var bStart = breathing.querySelector(".breath-start");
    var bStop = breathing.querySelector(".breath-stop");
    var timer = null;
    bControls.hidden = false;
    breathing.classList.add("scripted");

    var value = function (name, fallback) {
      var input = document.querySelector("[name=" + name + "]");
      var n = input ? parseInt(input.value, 10) : NaN;
      return isNaN(n) ? fallback : n;
    };
    var end = function (text) {
      window.clearTimeout(timer);
      timer = null;
      circle.classList.remove("in", "out");
      circle.style.transitionDuration = "";
      bStart.disabled = false;
      bStop.disabled = true;
      label.textContent = text;
    };
    bStart.addEventListener("click", function () {
      var steps = [
        ["in", "Breathe in", value("inhale_seconds", 4)],
        ["hold", "Hold", value("hold_seconds", 4)],
        ["out", "Breathe out", value("exhale_seconds", 6)]
      ].filter(function (s) { return s[2] > 0; });
      var cycles = value("cycles", 10), cycle = 0, index = 0;
      bStart.disabled = true;
      bStop.disabled = false;
      var step = function () {
        if (index >= steps.length) { index = 0; cycle += 1; }
        if (cycle >= cycles) { end("Done. Notice how you feel, then save below."); return; }
        var s = steps[index];
        circle.style.transitionDuration = s[2] + "s";
        if (s[0] === "in") { circle.classList.add("in"); circle.classList.remove("out"); }
        if (s[0] === "out") { circle.classList.add("out"); circle.classList.remove("in"); }
        label.textContent = s[1] + " · " + s[2] + " · " + (cycle + 1) + "/" + cycles;
        index += 1;
        timer = window.setTimeout(step, s[2] * 1000);
      };
      step();
    });
    bStop.addEventListener("click", function () { end("Stopped."); });
  }
})();
