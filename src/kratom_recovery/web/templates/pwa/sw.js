// kratom-recovery service worker, version {{ version }} (docs/offline.md).
// Keeps the app shell, the help page (the crisis numbers) and the check-in form, so they
// open without a connection. Nothing else is kept; the page clears every cache when the
// person signs out, and the sign-out answer asks the browser to clear them too.
"use strict";
var VERSION = "{{ version|escapejs }}";
var SHELL = "kr-shell-" + VERSION;
var PAGES = "kr-pages";
var SHELL_URLS = [{% for url in shell %}"{{ url|escapejs }}", {% endfor %}"{{ offline_url|escapejs }}"];
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var KEPT_PAGES = ["{{ help_url|escapejs }}", "{{ checkin_url|escapejs }}"];
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); })
      .then(function () {
        // The help page too, so the crisis numbers open offline from the first visit.
        return caches.open(PAGES).then(function (cache) {
          return fetch(KEPT_PAGES[0], { credentials: "same-origin" }).then(function (r) {
            if (r.ok && !r.redirected) { return cache.put(KEPT_PAGES[0], r); }
          }).catch(function () { /* offline while installing: kept on the next visit */ });
        });
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("kr-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
  }
});

function keptPage(url) {
  return url.origin === self.location.origin && url.search === "" &&
    KEPT_PAGES.indexOf(url.pathname) !== -1;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // writes always go to the network
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    // Static files: the shell's from its cache (a changed file changes VERSION, and a new
    // worker replaces the cache), anything else from the network.
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (kept) {
      return kept || fetch(request);
    }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (keptPage(url) && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(keptPage(url) ? url.pathname : OFFLINE_URL).then(function (kept) {
      return kept || caches.match(OFFLINE_URL);
    });
  }));
});
