// GraphiQL's settings, read from this script tag's data attributes: the page's
// Content-Security-Policy runs no inline script (referral_hub/web/security.py).
(function () {
  "use strict";
  var data = document.currentScript.dataset;
  window.GRAPHENE_SETTINGS = {
    graphiqlHeaderEditorEnabled: data.headerEditor === "true",
    graphiqlShouldPersistHeaders: data.persistHeaders === "true",
    graphiqlInputValueDeprecation: data.inputValueDeprecation === "true",
  };
  if (data.subscriptionPath) {
    window.GRAPHENE_SETTINGS.subscriptionPath = data.subscriptionPath;
  }
})();
