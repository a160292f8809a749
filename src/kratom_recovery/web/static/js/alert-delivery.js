// The crisis card's delivery line keeps itself current: while the alert is being sent it asks
// GET /me/alert-delivery/ every few seconds and shows what really happened ("sent to the
// on-call clinician at 21:04", or "not yet delivered"). Without JavaScript a reload shows it.
(function () {
  "use strict";

  var box = document.getElementById("alert-delivery");
  if (!box || !window.fetch || box.getAttribute("data-poll") !== "1") { return; }
  var url = box.getAttribute("data-poll-url");
  var text = box.querySelector(".delivery-text strong");
  var after = box.querySelector(".delivery-after-hours");
  var seconds = 3;
  var tries = 0;

  function show(data) {
    if (!data.state) { return false; }
    box.setAttribute("data-state", data.state);
    text.textContent = data.text;
    after.textContent = data.after_hours || "";
    after.hidden = !data.after_hours;
    return data.poll;
  }

  function poll() {
    tries += 1;
    fetch(url, {credentials: "same-origin", headers: {"X-Background-Poll": "1",
                                                     "Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {state: null}; })
      .then(function (data) {
        // Slow down once it is past the first minute (retries are minutes apart).
        if (show(data) && tries < 400) { window.setTimeout(poll, tries < 20 ? seconds * 1000 : 30000); }
      })
      .catch(function () { window.setTimeout(poll, 30000); });
  }

  window.setTimeout(poll, seconds * 1000);
}());
