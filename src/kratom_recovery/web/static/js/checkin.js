// The daily check-in, one screen at a time (progressive enhancement).
// Without JavaScript every screen is on one page and the form posts as it is. With it:
// - one section per screen, Back and Next, and "n of N answered" progress;
// - a draft in sessionStorage, so a reload or a dropped connection loses nothing; it is
//   removed once the saved page shows and on signing out (js/drafts.js);
// - Next on a screen with an unanswered question shows a short error summary and moves focus
//   to it, as the server's summary after a failed save does.
// Field names and the form's id ("checkin-form") are fixed: other scripts hook into them.
(function () {
  "use strict";

  var form = document.getElementById("checkin-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");
  var screens = Array.prototype.slice.call(form.querySelectorAll("[data-screen]"));
  var progress = document.getElementById("checkin-progress");
  var summary = document.getElementById("form-summary");
  var submit = form.querySelector(".checkin-submit");
  var key = form.getAttribute("data-draft-key");
  var SKIP = { csrfmiddlewaretoken: true, shown_red_flags: true, quick: true };
  var current = 0;

  function label(name, values) {
    var text = form.getAttribute("data-label-" + name) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.replace("%(" + k + ")s", values[k]);
    });
    return text;
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  // --- drafts -------------------------------------------------------------------------------
  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name]) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!data[el.name]) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.type !== "submit" && el.type !== "button" && el.type !== "hidden") {
        data[el.name] = [el.value];
      }
    });
    return { fields: data, screen: current };
  }

  function save() {
    var store = storage();
    if (!store || !key) { return; }
    try { store.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* full: no draft */ }
  }

  function restore() {
    var store = storage();
    if (!store || !key || form.getAttribute("data-restore") !== "1") { return 0; }
    var draft = null;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.fields) { return 0; }
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = draft.fields[el.name];
      if (!el.name || SKIP[el.name] || !values) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.type !== "hidden" && el.type !== "submit") {
        el.value = values[0];
      }
    });
    var note = document.createElement("p");
    note.className = "draft-restored";
    note.setAttribute("role", "status");
    note.textContent = label("restored");
    form.parentNode.insertBefore(note, form);
    return Math.min(Math.max(0, draft.screen | 0), screens.length - 1);
  }

  // --- progress -----------------------------------------------------------------------------
  function answered(field) {
    var inputs = field.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { return true; }
      } else if (el.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function required(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll(".field.required"));
  }

  function update() {
    var all = required(form);
    var done = all.filter(answered).length;
    var text = label("answered", { n: done, total: all.length });
    if (screens.length > 1) {
      text = label("screen", { n: current + 1, total: screens.length }) + " · " + text;
    }
    progress.textContent = text;
  }

  // --- screens ------------------------------------------------------------------------------
  function clearMissing() {
    var old = form.querySelector(".screen-summary");
    if (old) { old.parentNode.removeChild(old); }
    Array.prototype.forEach.call(form.querySelectorAll(".field.js-missing"), function (f) {
      f.classList.remove("js-missing", "has-error");
      var msg = f.querySelector(".js-error");
      if (msg) { msg.parentNode.removeChild(msg); }
    });
  }

  function show(index, focus) {
    current = index;
    screens.forEach(function (screen, i) { screen.hidden = i !== index; });
    var nav = form.querySelectorAll(".screen-nav");
    Array.prototype.forEach.call(nav, function (n) { n.hidden = true; });
    var own = screens[index].querySelector(".screen-nav");
    if (own) { own.hidden = false; }
    submit.hidden = index !== screens.length - 1;
    update();
    save();
    if (focus) {
      window.scrollTo(0, 0);
      screens[index].querySelector("h2").focus();
    }
  }

  function missingOn(screen) {
    return required(screen).filter(function (f) { return !answered(f); });
  }

  function complain(screen, missing) {
    clearMissing();
    var box = document.createElement("div");
    box.className = "form-summary screen-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var head = document.createElement("h3");
    head.textContent = label("summary");
    box.appendChild(head);
    var list = document.createElement("ul");
    missing.forEach(function (field) {
      field.classList.add("js-missing", "has-error");
      var first = field.querySelector("input, textarea, select");
      var legend = field.querySelector("legend, label");
      var msg = document.createElement("p");
      msg.className = "error js-error";
      msg.textContent = label("missing");
      field.appendChild(msg);
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + first.id;
      link.textContent = (legend ? legend.textContent.trim() + ": " : "") + label("missing");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        first.focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    screen.insertBefore(box, screen.querySelector("h2").nextSibling);
    box.focus();
  }

  function addNav(screen, index) {
    var nav = document.createElement("p");
    nav.className = "screen-nav actions";
    if (index > 0) {
      var back = document.createElement("button");
      back.type = "button";
      back.className = "button secondary";
      back.textContent = label("back");
      back.addEventListener("click", function () { clearMissing(); show(index - 1, true); });
      nav.appendChild(back);
    }
    if (index < screens.length - 1) {
      var next = document.createElement("button");
      next.type = "button";
      next.className = "button";
      next.setAttribute("data-testid", "next");
      next.textContent = label("next");
      next.addEventListener("click", function () {
        var missing = missingOn(screen);
        if (missing.length) { complain(screen, missing); return; }
        clearMissing();
        show(index + 1, true);
      });
      nav.appendChild(next);
    }
    screen.appendChild(nav);
  }

  // The screen holding the first field the server refused, so its summary links work.
  function screenOf(anchor) {
    var target = anchor && document.getElementById(anchor);
    for (var i = 0; target && i < screens.length; i++) {
      if (screens[i].contains(target)) { return i; }
    }
    return -1;
  }

  var start = restore();
  if (summary) {
    // After a failed save every screen stays open, so each link in the summary reaches its
    // question; focus goes to the summary (it also has autofocus without JavaScript).
    var firstLink = summary.querySelector("a[href^='#']");
    var at = screenOf(firstLink ? firstLink.getAttribute("href").slice(1) : "");
    if (at === -1) { at = 0; }
    form.classList.add("all-screens");
    update();
    summary.focus();
  } else if (screens.length > 1) {
    form.classList.add("one-screen");
    screens.forEach(addNav);
    show(start, false);
  } else {
    update();
  }

  form.addEventListener("change", function () { update(); save(); });
  form.addEventListener("input", function () { save(); });
  form.addEventListener("submit", function (event) {
    var missing = [];
    var where = -1;
    screens.forEach(function (screen, i) {
      var here = missingOn(screen);
      if (here.length && where === -1) { where = i; missing = here; }
    });
    if (where !== -1 && form.classList.contains("one-screen")) {
      event.preventDefault();
      show(where, false);
      complain(screens[where], missing);
      return;
    }
    // The draft stays until the saved page says the server has it (js/drafts.js): a
    // connection that drops while sending loses nothing.
  });
}());
