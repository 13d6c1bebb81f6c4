// On a page embedding essor widgets: size each widget iframe to its content. A message is trusted only when it
// comes from essor's origin (the one this script was served from) and from one of the widget iframes.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.essorWidgets) return;
  var origin = new URL(script.src, window.location.href).origin;
  window.essorWidgets = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "essor:resize") return;
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe[data-essor-widget]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(Math.max(data.height, 50), 5000) + "px";
      }
    }
  });
})();
