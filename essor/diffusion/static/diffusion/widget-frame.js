// Inside an essor widget: tell the embedding page our height whenever it changes (embed.js there resizes the
// iframe). The height is not confidential, so any parent may read it; the parent checks where it comes from.
(function () {
  "use strict";
  if (window.parent === window || !("ResizeObserver" in window)) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "essor:resize", height: height }, "*");
    }
  }
  new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
  send();
})();
