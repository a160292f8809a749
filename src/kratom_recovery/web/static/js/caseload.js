// The caseload keeps itself current: it polls the open alerts (GET /clinic/alerts.json) and
// updates the pinned emergency banner, the count in the page title and the relative times.
// A poll never extends the session (X-Background-Poll, web/common/polling.py). After a
// 401/403 or a network error a "NOT UPDATING" banner stays up until a poll succeeds again.
// Without JavaScript the page has a refresh link and the time it was loaded.
(function () {
  "use strict";

  var live = document.getElementById("caseload-live");
  if (!live || !window.fetch) { return; }
  var url = live.getAttribute("data-poll-url");
  var seconds = Math.max(1, parseInt(live.getAttribute("data-poll-seconds"), 10) || 30);
  var baseTitle = live.getAttribute("data-title");
  var known = {};
  (live.getAttribute("data-known") || "").split(",").forEach(function (id) {
    if (id) { known[id] = true; }
  });
  var stale = document.getElementById("not-updating");
  var banner = document.getElementById("emergency-banner");
  var list = banner.querySelector(".emergency-list");
  var fresh = document.getElementById("new-alerts");
  var updated = live.querySelector(".live-status .updated");
  var loaded = live.querySelector(".live-status .loaded");

  function notUpdating(reason) {
    stale.querySelector(".reason").textContent = stale.getAttribute("data-" + reason);
    stale.hidden = false;
  }

  function timeElement(alert) {
    var time = document.createElement("time");
    time.className = "clinic-time";
    time.setAttribute("datetime", alert.created_at);
    time.appendChild(document.createTextNode(alert.when + " · "));
    var ago = document.createElement("span");
    ago.className = "ago";
    ago.textContent = alert.ago;
    time.appendChild(ago);
    return time;
  }

  function pin(alerts) {
    var emergencies = alerts.filter(function (a) { return a.severity === "emergency"; });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    emergencies.forEach(function (alert) {
      var item = document.createElement("li");
      item.setAttribute("data-alert-id", String(alert.id));
      var link = document.createElement("a");
      link.href = alert.url;
      var who = document.createElement("strong");
      who.textContent = alert.patient;
      link.appendChild(who);
      link.appendChild(document.createTextNode(" — " + alert.title));
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(timeElement(alert));
      list.appendChild(item);
    });
    banner.hidden = emergencies.length === 0;
  }

  function refreshTimes(alerts) {
    alerts.forEach(function (alert) {
      var spans = document.querySelectorAll("[data-alert-id='" + alert.id + "'] .ago");
      Array.prototype.forEach.call(spans, function (span) { span.textContent = alert.ago; });
    });
  }

  function show(feed) {
    stale.hidden = true;
    document.title = (feed.count ? "(" + feed.count + ") " : "") + baseTitle;
    pin(feed.alerts);
    refreshTimes(feed.alerts);
    var added = feed.alerts.filter(function (a) { return !known[String(a.id)]; }).length;
    if (added) {
      fresh.querySelector(".text").textContent =
        fresh.getAttribute("data-text").replace("%(n)s", String(added));
    }
    fresh.hidden = added === 0;
    updated.querySelector(".value").textContent = feed.now_label;
    updated.hidden = false;
    loaded.hidden = true;  // its "just now" would go stale; the update time replaces it
  }

  function poll() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); },
                                               seconds * 1000) : null;
    window.fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
      headers: { "Accept": "application/json", "X-Background-Poll": "1" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        notUpdating("auth");
        return null;
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (feed) {
      if (feed) { show(feed); }
    }).catch(function () {
      notUpdating("network");
    }).then(function () {
      if (timer) { window.clearTimeout(timer); }
      window.setTimeout(poll, seconds * 1000);
    });
  }

  window.setTimeout(poll, seconds * 1000);
})();
