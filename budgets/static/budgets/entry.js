/* Budget entry: recalculate row, column and grand totals as figures are typed.
   The server recalculates everything again on save; this is only a guide while typing. */
(function () {
  "use strict";
  var table = document.querySelector("[data-budget-entry]");
  if (!table) { return; }

  function parse(text) {
    var value = String(text || "").replace(/[£,\s\u00a0]/g, "");
    if (value === "" || value === "-" || value === "\u2013" || value === "\u2014") { return 0; }
    if (!/^\d+(\.\d{1,2})?$/.test(value)) { return null; }
    return Math.round(parseFloat(value) * 100);
  }

  function format(pence) {
    var pounds = pence / 100;
    var whole = pence % 100 === 0;
    return "£" + pounds.toLocaleString("en-GB", {
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2
    });
  }

  function recalc() {
    var rows = {};
    var cols = {};
    var grand = 0;
    var invalid = false;
    table.querySelectorAll("[data-money]").forEach(function (input) {
      var pence = parse(input.value);
      if (pence === null) { invalid = true; pence = 0; }
      var row = input.getAttribute("data-row");
      var col = input.getAttribute("data-col");
      rows[row] = (rows[row] || 0) + pence;
      cols[col] = (cols[col] || 0) + pence;
      grand += pence;
    });
    table.querySelectorAll("[data-row-total]").forEach(function (cell) {
      cell.textContent = format(rows[cell.getAttribute("data-row-total")] || 0);
    });
    table.querySelectorAll("[data-col-total]").forEach(function (cell) {
      cell.textContent = format(cols[cell.getAttribute("data-col-total")] || 0);
    });
    table.querySelectorAll("[data-grand-total]").forEach(function (cell) {
      cell.textContent = format(grand);
    });
    var note = document.querySelector("[data-totals-note]");
    if (note) {
      note.textContent = invalid
        ? "Some figures are not amounts yet, so the totals leave them out. Saving will say which."
        : "";
    }
  }

  table.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-money")) { recalc(); }
  });
  recalc();
})();
