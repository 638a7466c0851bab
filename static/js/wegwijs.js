// Wegwijs behaviour. No inline scripts, no hx-on: everything that runs lives here.
(function () {
  "use strict";

  function notice(text) {
    var box = document.getElementById("notices");
    if (!box) return;
    var p = document.createElement("p");
    p.textContent = text;
    box.replaceChildren(p);
    window.setTimeout(function () { if (box.firstChild === p) box.replaceChildren(); }, 8000);
  }

  // Print buttons on letters and the printable plan.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  // htmx: server errors show their own translated message; a lost connection says so.
  document.addEventListener("htmx:responseError", function (event) {
    var message = document.body.dataset.msgError;
    try {
      var doc = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
      var el = doc.querySelector("[data-error-message]");
      if (el) message = el.getAttribute("data-error-message");
    } catch (e) { /* keep the generic message */ }
    notice(message);
  });
  document.addEventListener("htmx:sendError", function () { notice(document.body.dataset.msgOffline); });

  // After an htmx swap, focus goes to what the server marked (a quiz answer's feedback), not to the top.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus]");
    if (target) { target.removeAttribute("data-focus"); target.focus(); }
  });

  // Messages announced by the server through HX-Trigger: {"notice": "…"}.
  document.addEventListener("notice", function (event) {
    if (event.detail && event.detail.value) notice(event.detail.value);
  });
})();
