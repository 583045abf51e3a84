/* Swagger UI for /api/v1/docs, started from this file so the page needs no inline script (strict CSP). */
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    // Deep links would put a link inside each operation's toggle button (nested controls, axe-core).
    deepLinking: false,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    persistAuthorization: false,
    validatorUrl: null
  });
})();
