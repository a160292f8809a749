// The installable app's page side (docs/offline.md):
// - registers the service worker (/sw.js), which keeps the app shell, the help page and
//   the check-in form for offline use;
// - a check-in saved without a connection is kept in this browser's localStorage with when
//   it was finished, and sent when the server can be reached again, with an
//   Idempotency-Key so a resend after a lost answer is recorded once;
// - a check-in the server refuses stays here, with the server's reason, until the person
//   discards it: never dropped silently;
// - signing out with an unsent check-in asks: send now, or discard; signing out clears
//   the queue and every cache (the server's Clear-Site-Data header does too).
// Translated texts come from the page (#offline-texts); nothing here runs inline.
(function () {
  "use strict";
  var QUEUE = "kr-offline-checkins";
  var RETRY_MS = 30000;
  var me = document.currentScript ? document.currentScript.getAttribute("data-user") : "";
  var sending = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  function texts() {
    var el = document.getElementById("offline-texts");
    return function (name, values) {
      var text = (el && el.getAttribute("data-" + name)) || name;
      Object.keys(values || {}).forEach(function (key) {
        text = text.replace("{" + key + "}", values[key]);
      });
      return text;
    };
  }
  var t = texts();

  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    try {
      if (items.length) { window.localStorage.setItem(QUEUE, JSON.stringify(items)); }
      else { window.localStorage.removeItem(QUEUE); }
    } catch (e) { /* private mode: nothing kept */ }
  }
  function mine() {
    return load().filter(function (item) { return me && item.user === me; });
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  function when(iso) {
    try {
      return new Date(iso).toLocaleString([], { weekday: "short", hour: "2-digit",
                                                minute: "2-digit" });
    } catch (e) { return iso; }
  }

  // --- the notice at the top of the page -------------------------------------------------

  function region() {
    var box = document.getElementById("offline-status");
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-status";
      box.className = "offline-status";
      box.setAttribute("role", "status");
      box.setAttribute("data-testid", "offline-status");
      var main = document.getElementById("main");
      if (!main) { return null; }
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }
  function button(label, onClick, secondary) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = secondary ? "button secondary" : "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }
  function render(extra) {
    var box = region();
    if (!box) { return; }
    box.textContent = "";
    mine().forEach(function (item) {
      var card = document.createElement("div");
      card.className = "card offline-item" + (item.state === "refused" ? " refused" : "");
      card.setAttribute("data-state", item.state);
      var p = document.createElement("p");
      if (item.state === "refused") {
        p.textContent = t("refused", { when: when(item.completedAt) });
        card.appendChild(p);
        var reason = document.createElement("p");
        reason.className = "offline-reason";
        reason.setAttribute("data-testid", "offline-reason");
        reason.textContent = item.reason;
        card.appendChild(reason);
        var actions = document.createElement("p");
        actions.className = "actions";
        actions.appendChild(button(t("discard"), function () { discard(item.key); }, true));
        card.appendChild(actions);
      } else {
        p.textContent = t(item.state === "signin" ? "signin" : "queued",
                          { when: when(item.completedAt) });
        card.appendChild(p);
      }
      box.appendChild(card);
    });
    if (extra) {
      var note = document.createElement("p");
      note.className = "card offline-item sent";
      note.setAttribute("data-testid", "offline-sent");
      note.textContent = extra;
      box.appendChild(note);
    }
  }
  function discard(key) {
    store(load().filter(function (item) { return item.key !== key; }));
    render();
  }

  // --- sending ---------------------------------------------------------------------------

  function body(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.append("completed_at", item.completedAt);
    return data;
  }
  function reasonFrom(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = [];
    doc.querySelectorAll("#form-summary li, .errors li, .errorlist li, p.error")
      .forEach(function (el) {
        var text = el.textContent.replace(/\s+/g, " ").trim();
        if (text && found.indexOf(text) === -1) { found.push(text); }
      });
    return found.join(" ") || t("refused-unknown");
  }
  // One queued check-in: "sent", "refused" (kept with the reason), "signin" or "later".
  function send(item) {
    return fetch(item.url, {
      method: "POST", body: body(item), credentials: "same-origin", redirect: "manual",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": cookie("csrftoken") }
    }).then(function (response) {
      if (response.status === 201) { return "sent"; }
      if (response.type === "opaqueredirect" || response.status === 403) { return "signin"; }
      if (response.status === 400 || response.status === 422) {
        return response.text().then(function (text) {
          var reason;
          try { reason = JSON.parse(text).message; } catch (e) { reason = reasonFrom(text); }
          item.reason = reason || t("refused-unknown");
          return "refused";
        });
      }
      return "later";
    }, function () { return "later"; });
  }
  function flush() {
    var waiting = mine().filter(function (item) { return item.state !== "refused"; });
    if (sending || !waiting.length) { return Promise.resolve(mine().length === 0); }
    sending = true;
    var sent = 0;
    return waiting.reduce(function (chain, item) {
      return chain.then(function () {
        return send(item).then(function (outcome) {
          var items = load();
          items.forEach(function (kept, i) {
            if (kept.key !== item.key) { return; }
            if (outcome === "sent") { items[i] = null; sent += 1; }
            else if (outcome === "refused") { kept.state = "refused"; kept.reason = item.reason; }
            else if (outcome === "signin") { kept.state = "signin"; }
            else { kept.state = "queued"; }
          });
          store(items.filter(Boolean));
        });
      });
    }, Promise.resolve()).then(function () {
      sending = false;
      render(sent ? t("sent") : "");
      return mine().length === 0;
    });
  }

  // --- the check-in form -----------------------------------------------------------------

  function queue(form, completedAt) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      // The CSRF token goes as a header from the cookie when sending (it may change).
      if (name !== "csrfmiddlewaretoken" && name !== "completed_at" &&
          typeof value === "string") { fields.push([name, value]); }
    });
    var items = load();
    items.push({ key: newKey(), user: me, url: form.action || window.location.pathname,
                 completedAt: completedAt, fields: fields, state: "queued" });
    store(items);
  }
  // After the check-in's own script (a listener on the form) has had its say: bubbling to
  // the document comes after the form's listeners, so a blocked submit is left alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!me || !form || form.id !== "checkin-form" || event.defaultPrevented) { return; }
    event.preventDefault();
    var completedAt = new Date().toISOString();
    var data = new FormData(form);
    fetch(form.action || window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual",
      headers: { "Idempotency-Key": newKey() }
    }).then(function (response) {
      if (response.status === 201) {
        return response.json().then(function (answer) { window.location.assign(answer.location); });
      }
      // Refused or signed out: the ordinary submit shows the server's page and its errors.
      form.submit();
    }, function () {
      queue(form, completedAt);
      render();
      var box = region();
      if (box) {
        box.scrollIntoView();
        box.setAttribute("tabindex", "-1");
        box.focus();
      }
    });
  });

  // --- signing out -----------------------------------------------------------------------

  function clearAll() {
    store([]);
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 1500); });
    return Promise.race([Promise.all(jobs), timeout]);
  }
  var leaving = false;
  function signOut(form) {
    // Submitted again once the caches are gone, so the page's other sign-out listeners
    // (the check-in drafts) run as usual.
    clearAll().then(function () { leaving = true; form.requestSubmit(); });
  }
  function ask(form) {
    var dialog = document.createElement("dialog");
    dialog.className = "offline-dialog";
    dialog.setAttribute("data-testid", "signout-dialog");
    var p = document.createElement("p");
    p.textContent = t("signout-question");
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    var actions = document.createElement("p");
    actions.className = "actions";
    actions.appendChild(button(t("send-now"), function () {
      status.textContent = t("sending");
      flush().then(function (done) {
        if (done) { dialog.close(); signOut(form); }
        else { status.textContent = t("not-sent"); }
      });
    }));
    actions.appendChild(button(t("discard-signout"), function () {
      dialog.close();
      signOut(form);
    }, true));
    actions.appendChild(button(t("stay"), function () { dialog.close(); dialog.remove(); }, true));
    dialog.appendChild(p);
    dialog.appendChild(status);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    dialog.showModal();
  }
  // Capturing, so this runs before any other sign-out listener (drafts are kept if the
  // person decides to stay).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (leaving || !form || !form.hasAttribute || !form.hasAttribute("data-sign-out")) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (mine().length) { ask(form); } else { signOut(form); }
  }, true);

  // --- when to try ------------------------------------------------------------------------

  if (me) {
    render();
    flush();
    window.addEventListener("online", flush);
    window.setInterval(function () { if (mine().length) { flush(); } }, RETRY_MS);
  }
}());
