// While someone types in a long form, keep their session alive (the server ends idle sessions).
// The page works without this: if the session does end, the server keeps the typed text.
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-alive]");
  if (!form) { return; }
  var url = form.getAttribute("data-keep-alive");
  var last = 0;
  var EVERY_MS = 4 * 60 * 1000;
  form.addEventListener("input", function () {
    var now = Date.now();
    if (now - last < EVERY_MS) { return; }
    last = now;
    fetch(url, { credentials: "same-origin", cache: "no-store" }).catch(function () {});
  });
})();
