// Start GOV.UK Frontend and MOJ Frontend components on pages where the browser supports them.
(function () {
  if (!document.body.classList.contains("govuk-frontend-supported")) return;
  if (window.GOVUKFrontend) window.GOVUKFrontend.initAll();
  if (window.MOJFrontend) window.MOJFrontend.initAll();
})();
