// The section editor: a small toolbar over an editable area that writes sanitisable HTML back to the
// form's textarea; tables from the records appear as live, non-editable previews; the text is kept as
// a draft every few seconds. Without JavaScript the textarea (HTML) still works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-plan-editor]");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var base = form.querySelector("input[name=base_revision]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.querySelector("[data-autosave-status]");
  var counter = document.querySelector("[data-word-count]");
  var menu = document.querySelector("[data-block-menu]");
  var previewUrl = form.getAttribute("data-preview-url");
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var optionsUrl = form.getAttribute("data-options-url");
  var panel = document.querySelector("[data-block-options]");

  var group = textarea.closest(".govuk-form-group");
  var area = document.createElement("div");
  area.className = "app-editor__area govuk-body";
  area.contentEditable = "true";
  area.setAttribute("role", "textbox");
  area.setAttribute("aria-multiline", "true");
  area.setAttribute("aria-labelledby", textarea.id + "-editor-label");
  area.innerHTML = textarea.value;

  var label = document.createElement("p");
  label.id = textarea.id + "-editor-label";
  label.className = "govuk-label govuk-label--s";
  label.textContent = "Section text";

  var toolbar = document.createElement("div");
  toolbar.className = "app-editor__toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Formatting");
  [
    ["Heading", "formatBlock", "h2"], ["Subheading", "formatBlock", "h3"], ["Paragraph", "formatBlock", "p"],
    ["Bold", "bold"], ["Italic", "italic"], ["Bulleted list", "insertUnorderedList"],
    ["Numbered list", "insertOrderedList"], ["Link", "link"], ["Table", "table"], ["Clear formatting", "removeFormat"]
  ].forEach(function (spec) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary";
    button.textContent = spec[0];
    button.addEventListener("click", function () { command(spec[1], spec[2]); });
    toolbar.appendChild(button);
  });

  // GOV.UK's classes set display: block, which beats the hidden attribute: hide through the style too.
  textarea.hidden = true;
  textarea.style.display = "none";
  var textareaLabel = group.querySelector("label[for=" + textarea.id + "]");
  if (textareaLabel) { textareaLabel.hidden = true; textareaLabel.style.display = "none"; }
  // The label goes above the hint, as GOV.UK form groups have it; the hint describes the area.
  var hint = group.querySelector(".govuk-hint");
  group.insertBefore(label, hint || textarea);
  if (hint && hint.id) area.setAttribute("aria-describedby", hint.id);
  group.appendChild(toolbar);
  group.appendChild(area);
  document.execCommand("styleWithCSS", false, false);
  document.execCommand("defaultParagraphSeparator", false, "p");

  function command(name, value) {
    area.focus();
    if (name === "link") {
      var url = window.prompt("Address of the link (https://…)");
      if (url && /^(https?:|mailto:)/i.test(url)) document.execCommand("createLink", false, url);
    } else if (name === "table") {
      document.execCommand("insertHTML", false,
        "<table><thead><tr><th>Heading</th><th>Heading</th></tr></thead><tbody><tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table><p></p>");
    } else {
      document.execCommand(name, false, value || null);
    }
    changed();
  }

  function preview(marker) {
    marker.contentEditable = "false";
    marker.setAttribute("tabindex", "0");
    if (!marker.hasAttribute("data-options-bound")) {
      marker.setAttribute("data-options-bound", "");
      marker.setAttribute("role", "group");
      marker.setAttribute("aria-label", "Table from the records: " + blockTitle(marker.getAttribute("data-block")) +
        ". Press Enter to choose its options.");
      marker.addEventListener("click", function () { showOptions(marker); });
      marker.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); showOptions(marker, true); }
      });
    }
    var key = marker.getAttribute("data-block");
    var options = marker.getAttribute("data-options") || "{}";
    marker.textContent = "Table from the records: " + blockTitle(key) + " (loading…)";
    fetch(previewUrl + "?key=" + encodeURIComponent(key) + "&options=" + encodeURIComponent(options), {
      credentials: "same-origin"
    }).then(function (response) { return response.text(); })
      .then(function (html) { marker.innerHTML = html; })
      .catch(function () { marker.textContent = "Table from the records: " + blockTitle(key); });
  }

  // The table's name as the block menu gives it ("Board membership"), not its key.
  function blockTitle(key) {
    var option = menu && Array.prototype.find.call(menu.querySelectorAll("option"), function (o) { return o.value === key; });
    return option ? option.textContent : key;
  }
  Array.prototype.forEach.call(area.querySelectorAll("[data-block]"), preview);

  // The options of the chosen table: the server builds the GOV.UK form from what the block declares and
  // checks the answers; the marker's data-options is then rewritten and the preview redrawn.
  function showOptions(marker, focus) {
    if (!panel || !optionsUrl) return;
    var query = "?key=" + encodeURIComponent(marker.getAttribute("data-block")) +
      "&options=" + encodeURIComponent(marker.getAttribute("data-options") || "{}");
    fetch(optionsUrl + query, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { fillPanel(marker, html, focus); });
  }

  function fillPanel(marker, html, focus) {
    panel.innerHTML = html;
    var optionsForm = panel.querySelector("form[data-block-options-form]");
    var target = panel.querySelector(".govuk-error-summary") || panel.querySelector("input, select");
    if (focus && target) { target.setAttribute("tabindex", target.getAttribute("tabindex") || "-1"); target.focus(); }
    if (!optionsForm) return;
    optionsForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = new URLSearchParams(new FormData(optionsForm));
      query.delete("submit");
      query.set("key", optionsForm.getAttribute("data-key"));
      query.set("options", optionsForm.getAttribute("data-options"));
      query.set("apply", "1");
      fetch(optionsUrl + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          return type.indexOf("json") >= 0 ? response.json() : response.text();
        })
        .then(function (answer) {
          if (typeof answer === "string") { fillPanel(marker, answer, true); return; }
          marker.setAttribute("data-options", JSON.stringify(answer.options));
          preview(marker);
          changed();
          panel.innerHTML = "";
          var done = document.createElement("p");
          done.className = "govuk-body-s";
          done.setAttribute("data-options-applied", "");
          done.textContent = "Options applied to the table. Save the section to keep them.";
          panel.appendChild(done);
          marker.focus();
        });
    });
  }

  function serialise() {
    var copy = area.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("[data-block]"), function (marker) {
      var clean = document.createElement("div");
      clean.setAttribute("data-block", marker.getAttribute("data-block"));
      clean.setAttribute("data-options", marker.getAttribute("data-options") || "{}");
      marker.replaceWith(clean);
    });
    paragraphs(copy);
    return copy.innerHTML;
  }

  // Text typed straight into the area, or split by a browser into <div>s, becomes paragraphs: the saved
  // section is headings, paragraphs, lists and tables, styled like the rest of the plan.
  var BLOCKS = /^(P|H2|H3|H4|UL|OL|TABLE|BLOCKQUOTE)$/;
  function paragraphs(root) {
    var loose = null;
    Array.prototype.slice.call(root.childNodes).forEach(function (node) {
      var element = node.nodeType === 1;
      if (element && node.tagName === "DIV" && !node.hasAttribute("data-block")) {
        var p = document.createElement("p");
        while (node.firstChild) p.appendChild(node.firstChild);
        node.replaceWith(p);
        loose = null;
      } else if (element && (BLOCKS.test(node.tagName) || node.hasAttribute("data-block"))) {
        loose = null;
      } else if (element && node.tagName === "BR" && !loose) {
        node.remove();
      } else if (element || node.textContent.trim()) {
        if (!loose) { loose = document.createElement("p"); node.before(loose); }
        loose.appendChild(node);
      } else {
        node.remove();
      }
    });
  }

  var inert = document.implementation.createHTMLDocument("");
  // Words as the server counts them: the ends of paragraphs, items and cells separate words.
  function words() {
    var copy = area.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("[data-block]"), function (m) { m.remove(); });
    var text = inert.createElement("div");  // in a document of its own: nothing in the markup loads or runs
    text.innerHTML = copy.innerHTML.replace(/</g, " <");
    var plain = (text.textContent || "").trim();
    return plain ? plain.split(/\s+/).length : 0;
  }

  var dirty = false;
  function changed() {
    dirty = true;
    textarea.value = serialise();
    if (counter) counter.textContent = String(words());
  }
  area.addEventListener("input", changed);
  if (title) title.addEventListener("input", function () { dirty = true; });

  if (menu) {
    menu.hidden = false;
    menu.querySelector("[data-insert-block]").addEventListener("click", function () {
      var key = menu.querySelector("select").value;
      var marker = document.createElement("div");
      marker.setAttribute("data-block", key);
      marker.setAttribute("data-options", "{}");
      area.appendChild(marker);
      area.appendChild(document.createElement("p"));
      preview(marker);
      changed();
      showOptions(marker);
    });
  }

  form.addEventListener("submit", function () { textarea.value = serialise(); dirty = false; });

  // Closing the tab: the browser may drop an ordinary request, so the last draft goes as a keepalive one.
  function autosave(closing) {
    if (!dirty) return;
    dirty = false;
    var data = new FormData();
    data.append("title", title ? title.value : "");
    data.append("body", serialise());
    data.append("base_revision", base.value);
    fetch(autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf }, keepalive: closing === true
    })
      .then(function (response) { return response.json(); })
      .then(function (json) { if (status) status.textContent = json.message || json.error; })
      .catch(function () { dirty = true; if (status) status.textContent = "Could not keep a draft just now; still trying."; });
  }
  window.setInterval(autosave, 5000);
  window.addEventListener("pagehide", function () { autosave(true); });
})();
