/* Starts Swagger UI on /api/v1/docs from the settings the page carries as JSON (no inline script: the CSP). */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  window.SwaggerUIBundle(settings);
})();
