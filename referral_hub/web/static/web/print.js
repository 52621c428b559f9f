// The consent form's Print button (no inline script: the page's CSP allows none).
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
