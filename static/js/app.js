// Start GOV.UK Frontend and MOJ Frontend components on pages where the browser supports them.
(function () {
  if (!document.body.classList.contains("govuk-frontend-supported")) return;
  if (window.GOVUKFrontend) window.GOVUKFrontend.initAll();
  if (window.MOJFrontend) window.MOJFrontend.initAll();
})();

// A table wider than the screen (a phone, a zoomed page) scrolls sideways inside its own box rather than
// making the whole page scroll. A box that does scroll can be reached with the keyboard and is named after
// its table's caption, so it can be scrolled without a mouse (WCAG 2.1.1); one that fits stays out of the
// tab order. Tables that htmx swaps in are boxed too.
(function () {
  var boxes = [];
  function box(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      var holder = table.closest(".app-table-scroll, .app-plan-block");
      if (!holder) {
        holder = document.createElement("div");
        holder.className = "app-table-scroll";
        table.parentNode.insertBefore(holder, table);
        holder.appendChild(table);
      }
      if (boxes.indexOf(holder) === -1) boxes.push(holder);
    });
    mark();
  }
  function mark() {
    boxes = boxes.filter(function (holder) { return holder.isConnected; });
    boxes.forEach(function (holder) {
      if (holder.scrollWidth > holder.clientWidth + 1) {
        var caption = holder.querySelector("caption");
        holder.setAttribute("tabindex", "0");
        holder.setAttribute("role", "region");
        holder.setAttribute("aria-label", caption ? caption.textContent.trim().replace(/\s+/g, " ") : "Table");
      } else if (holder.getAttribute("tabindex") === "0") {
        holder.removeAttribute("tabindex");
        holder.removeAttribute("role");
        holder.removeAttribute("aria-label");
      }
    });
  }
  box(document);
  window.addEventListener("resize", mark);
  document.body.addEventListener("htmx:afterSwap", function () { box(document); });
})();
