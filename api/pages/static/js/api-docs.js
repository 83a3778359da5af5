// /docs: Swagger UI (vendored) over our /openapi.json. The validator badge is off: it would
// send the specification to another host.
"use strict";

(function () {
  const target = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: target.dataset.spec,
    domNode: target,
    validatorUrl: null,
    deepLinking: true,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
  });
})();
