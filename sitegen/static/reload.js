// Live reload for `sitegen serve`; the server injects this script into HTML
// responses only, never into `sitegen build` output. It is an external file
// because the site's Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var OVERLAY_ID = "sitegen-error-overlay";
  var epoch = null;

  function hideError() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.remove(); }
  }

  // The message is set as text, never as HTML: a file name or an error
  // message may contain markup, and it must show as written.
  function showError(text) {
    hideError();
    var box = document.createElement("pre");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.textContent = "sitegen: the last build failed; showing the last good site.\n\n" + text;
    var s = box.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "2147483647";
    s.margin = "0"; s.padding = "1em"; s.maxHeight = "50vh"; s.overflow = "auto";
    s.background = "#fff0f0"; s.color = "#600"; s.borderTop = "3px solid #c00";
    s.font = "14px/1.4 monospace"; s.whiteSpace = "pre-wrap";
    document.body.appendChild(box);
  }

  var source = new EventSource("/__sitegen/events");
  // `hello` comes first on every (re)connection: a changed epoch means the
  // site was rebuilt while we were disconnected (or the server restarted).
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (epoch !== null && data.epoch !== epoch) { location.reload(); return; }
    epoch = data.epoch;
    // Marks the page as live, for tests and for anyone wondering whether reload is on.
    document.documentElement.setAttribute("data-sitegen-live", String(epoch));
    if (data.error) { showError(data.error); } else { hideError(); }
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (event) {
    showError(JSON.parse(event.data).error);
  });
  source.addEventListener("ok", hideError);
}());
