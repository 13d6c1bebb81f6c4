// Background directory export: ask the page's own address for its state every few seconds while the file is
// being written, and put the new state (the download link) in the live region, which screen readers announce.
(function () {
  "use strict";
  var region = document.getElementById("export-state");
  if (!region || region.getAttribute("data-export-status") !== "pending") return;
  var url = region.getAttribute("data-status-url");
  var delay = 3000;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.status !== "pending") {
          region.setAttribute("data-export-status", state.status);
          region.innerHTML = state.html;
          return;
        }
        delay = Math.min(delay * 1.5, 20000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 20000); });
  }
  window.setTimeout(poll, delay);
})();
