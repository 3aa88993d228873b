// A form is sent once: while a POST is on its way (a slow connection, a VPN), its buttons are
// disabled and a second click or Enter does nothing. The server refuses a second POST of the
// same form as well (wijkteam/submissions); this spares the wait and the message.
(function () {
  "use strict";
  var AGAIN_AFTER_MS = 15000; // no answer at all (a dropped connection): the user may try again

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    buttons(form).forEach(function (b) {
      if (b.dataset.sendingDisabled) {
        b.disabled = false;
        delete b.dataset.sendingDisabled;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) { return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    // After this event the browser collects the fields, the clicked button's name included:
    // disabled buttons are left out, so they are disabled just after.
    window.setTimeout(function () {
      buttons(form).forEach(function (b) {
        if (!b.disabled) {
          b.disabled = true;
          b.dataset.sendingDisabled = "1";
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, AGAIN_AFTER_MS);
  });

  // Back to a page kept by the browser (back button): its forms can be used again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
