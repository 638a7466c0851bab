// Messages: polling that rests while the page is hidden, sends that survive a lost connection,
// a size check before a large photo costs data, and focus for the staff inbox. No inline script.
(function () {
  "use strict";

  function composeOf(el) { return el && el.closest ? el.closest("[data-compose]") : null; }

  function status(form, text, retry) {
    var box = form.querySelector("[data-compose-status]");
    if (!box) return;
    box.replaceChildren();
    if (!text) return;
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (retry) {
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "utrecht-button utrecht-button--secondary-action";
      button.textContent = document.body.dataset.msgRetry || form.dataset.msgRetry || "↻";
      box.appendChild(button);
    }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Polling: skip a tick while the page is hidden (saves battery and prepaid data), catch up on return.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-messages-poll") && document.hidden) {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && document.querySelector("[data-messages-poll]") && window.htmx) {
      window.htmx.trigger(document.body, "messages-refresh");
    }
  });

  // Sending.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = composeOf(event.detail && event.detail.elt);
    if (form) status(form, form.dataset.msgSending, false);
  });
  document.addEventListener("htmx:sendError", function (event) {
    // The request never reached us: nothing was swapped, the text is still in the box.
    // "Try again" submits the same form with the same key, so the message is stored once.
    var form = composeOf(event.detail && event.detail.elt);
    if (form) status(form, form.dataset.msgFailed, true);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = composeOf(event.detail && event.detail.elt);
    if (!form) return;
    if (event.detail.xhr && event.detail.xhr.status === 413) status(form, form.dataset.msgTooLarge, false);
    else status(form, "", false);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = composeOf(event.detail && event.detail.elt);
    if (!form || !event.detail.successful) return;
    // The answer normally replaces the form with a fresh one and a new key; if it stays, renew here.
    if (document.contains(form)) {
      var key = form.querySelector("input[name=client_key]");
      if (key) key.value = newKey();
      status(form, "", false);
    }
  });

  // A photo over the limit is refused here already, before it costs data.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file") return;
    var form = composeOf(input);
    if (!form || !form.dataset.maxBytes) return;
    var max = parseInt(form.dataset.maxBytes, 10);
    var tooBig = Array.prototype.some.call(input.files || [], function (f) { return f.size > max; });
    if (tooBig) {
      input.value = "";
      status(form, form.dataset.msgTooLarge, false);
    } else {
      status(form, "", false);
    }
  });

  // Keep the newest message in view (instantly: a smooth scroll aims at a layout that photos still change).
  function showLatest() {
    var list = document.getElementById("messages-list");
    if (list && list.lastElementChild) list.lastElementChild.scrollIntoView({block: "end", behavior: "instant"});
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "messages-list") showLatest();
    if (target && target.id === "inbox-pane") target.focus();
  });
  // On arrival, and again while photos load, until the reader scrolls or types themselves.
  var settled = false;
  function arrive() {
    if (!settled && document.getElementById("messages-list") && !window.location.search) showLatest();
  }
  ["wheel", "touchstart", "keydown"].forEach(function (name) {
    window.addEventListener(name, function () { settled = true; }, {passive: true, once: true});
  });
  document.addEventListener("DOMContentLoaded", arrive);
  window.addEventListener("load", arrive);
  document.addEventListener("load", function (event) {
    if (event.target.tagName === "IMG" && event.target.closest("#messages-list")) arrive();
  }, true);

  // Staff inbox: mark the open conversation.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".inbox-row__link");
    if (!link) return;
    document.querySelectorAll(".inbox-row__link[aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
    link.setAttribute("aria-current", "true");
  });
})();
