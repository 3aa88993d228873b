// A draft saves itself while it is typed: a few seconds after a change, and at once when the
// page is hidden (the tablet closed, another app). The server checks the draft's version, so a
// newer save from another tab is never overwritten; then, and when the session has ended, this
// stops and says so, and the text stays on the page to be saved by hand (the server's rescue
// keeps it over a new login). Without this script the page works as before: save by hand.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById(form.getAttribute("data-autosave-status"));
  var AFTER_MS = 3000;
  var dirty = false;
  var busy = false;
  var stopped = false;
  var timer = null;
  var waiting = null; // a save by hand clicked while an autosave was on its way

  function say(text) {
    if (status) { status.textContent = text; }
  }

  function body() {
    var data = new FormData(form);
    // The form's one-time id goes under another name: a POST carrying `form_id` is a save by
    // hand (the server answers a second one with the first's result).
    var id = data.get("form_id");
    data.delete("form_id");
    if (id) { data.set("autosave_of", id); }
    return data;
  }

  function done() {
    busy = false;
    if (waiting) {
      var submitter = waiting;
      waiting = null;
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { submitter.click(); }
    } else if (dirty) {
      later();
    }
  }

  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) { throw new Error("no answer"); }
    return response.json().then(function (reply) {
      if (response.ok) {
        if (reply.version) { form.elements.version.value = reply.version; }
        if (reply.edit_url && reply.edit_url !== form.getAttribute("action")) {
          // The new note is a draft now: the page becomes its page.
          form.setAttribute("action", reply.edit_url);
          form.setAttribute("data-autosave", reply.autosave_url);
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", reply.edit_url);
          }
        }
        if (reply.message) { say(reply.message); }
        return;
      }
      say(reply.message || form.getAttribute("data-autosave-failed"));
      if (reply.stop) { stopped = true; }
    });
  }

  function save(leaving) {
    timer = null;
    if (!dirty || busy || stopped || form.dataset.sending) { return; }
    dirty = false;
    busy = true;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual",
      keepalive: !!leaving,
      headers: { "Accept": "application/json" }
    }).then(answer).catch(function () {
      dirty = true; // the connection dropped: try again after the next pause
      say(form.getAttribute("data-autosave-failed"));
    }).then(done);
  }

  function later() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, AFTER_MS);
  }

  function changed(event) {
    if (event.target && event.target.name === "form_id") { return; }
    dirty = true;
    if (!stopped) { later(); }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    // A save by hand waits for an autosave on its way (else its version would be one behind).
    if (busy) {
      event.preventDefault();
      waiting = event.submitter || form.querySelector("button[type=submit], input[type=submit]");
      return;
    }
    stopped = true;
    if (timer) { window.clearTimeout(timer); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  say(form.getAttribute("data-autosave-on"));
})();
