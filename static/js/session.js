// The idle warning: a minute before the session ends a dialog asks "still there?". "Stay signed in"
// pings the server (which counts as activity); the page is never reloaded, so typed input stays.
// Requests the page makes by itself (message polling) are marked so they do not keep a session alive.
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var idle = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  if (!(idle > 0)) return;
  var warnBefore = Math.min(60000, idle / 2);
  var warnTimer = null;
  var endTimer = null;
  var ended = false;

  function show(state) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (part) {
      part.hidden = part.getAttribute("data-session-state") !== state;
    });
    if (!dialog.open) dialog.showModal();
    var focus = dialog.querySelector("[data-session-state='" + state + "'] button");
    if (focus) focus.focus();
  }

  function end() {
    ended = true;
    show("ended");
  }

  function restart() {
    if (ended) return;
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () { show("warning"); }, idle - warnBefore);
    endTimer = window.setTimeout(end, idle);
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  dialog.addEventListener("click", function (event) {
    if (event.target.closest("[data-session-stay]")) {
      fetch(dialog.dataset.ping, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: {"X-CSRFToken": csrfToken(), "HX-Request": "true"}
      }).then(function (response) {
        if (response.status === 204) { dialog.close(); restart(); } else { end(); }
      }, function () { /* offline: keep the dialog; the button can be pressed again */ });
    } else if (event.target.closest("[data-session-close]")) {
      dialog.close();
    }
  });
  // Every request the person makes (htmx) counts as activity on the server too.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-messages-poll")) {
      event.detail.headers["X-Wegwijs-Background"] = "1";
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var background = elt && elt.hasAttribute && elt.hasAttribute("data-messages-poll");
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 401) { end(); return; }
    if (!background && event.detail.successful) restart();
  });

  restart();
})();
