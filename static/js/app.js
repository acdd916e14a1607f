// Start GOV.UK Frontend and MOJ Frontend components on pages where the browser supports them.
(function () {
  if (!document.body.classList.contains("govuk-frontend-supported")) return;
  if (window.GOVUKFrontend) window.GOVUKFrontend.initAll();
  if (window.MOJFrontend) window.MOJFrontend.initAll();
})();

// A table wider than the screen (a phone, a zoomed page) scrolls sideways inside its own box rather than
// making the whole page scroll. A box that does scroll can be reached with the keyboard and is named after
// its table's caption, so it can be scrolled without a mouse (WCAG 2.1.1); one that fits stays out of the
// tab order.
(function () {
  var boxes = [];
  document.querySelectorAll("main table").forEach(function (table) {
    var box = table.closest(".app-table-scroll, .app-plan-block");
    if (!box) {
      box = document.createElement("div");
      box.className = "app-table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (boxes.indexOf(box) === -1) boxes.push(box);
  });
  function mark() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim().replace(/\s+/g, " ") : "Table");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
