/* Gives each autocomplete box the name of its field, for screen readers.
 * select2 draws the box as a read-only textbox whose only text is the current
 * choice, so an empty box would be announced without a name. Boxes appear as
 * editors add rows, hence the observer. A field sent back with an error also
 * lends the box it is drawn as its error state and message (aria-invalid,
 * aria-describedby), which the focusable box would otherwise not have. */
(function () {
  "use strict";

  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return select.getAttribute("aria-label") || (label ? label.textContent.replace(/:\s*$/, "").trim() : "");
  }

  function nameBoxes(root) {
    root.querySelectorAll(".select2-selection__rendered[role='textbox']:not([aria-label])").forEach(function (box) {
      const match = /^select2-(.+)-container$/.exec(box.id);
      const select = match && document.getElementById(match[1]);
      const name = select && fieldName(select);
      if (name) {
        box.setAttribute("aria-label", name);
      }
      const combobox = select && box.closest(".select2-selection");
      if (combobox && select.getAttribute("aria-invalid") === "true") {
        combobox.setAttribute("aria-invalid", "true");
        const message = select.getAttribute("aria-describedby");
        if (message) {
          combobox.setAttribute("aria-describedby", message);
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameBoxes(document);
    new MutationObserver(function () {
      nameBoxes(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
