/* Copy buttons for citations.
 *
 * Every citation on the site is a `.cite-text` element; this script puts a Copy button after each one
 * (without JavaScript the citation is still there to select). A `.cite-block` (a bibliography, a list of
 * notes) is copied one line per `.cite-entry`. A click copies the text with the Clipboard API, or, where that is
 * unavailable or refused, through a hidden textarea and `document.execCommand("copy")`; if both fail,
 * the text is selected for Ctrl+C.
 * Before printing, closed `Cite` boxes and bibliographies are opened so that the handout carries them.
 */
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function say(button, message) {
    button.textContent = message;
    window.clearTimeout(button.citeTimer);
    button.citeTimer = window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }

  function onClick(event) {
    var button = event.target && event.target.closest ? event.target.closest("button.cite-copy") : null;
    if (!button) {
      return;
    }
    var target = button.previousElementSibling;
    if (!target || !target.classList.contains("cite-text")) {
      return;
    }
    var text = citationText(target);
    copy(text).then(function (ok) {
      if (ok) {
        say(button, "Copied");
      } else {
        selectText(target);
        say(button, "Press Ctrl+C");
      }
    });
  }

  function oneLine(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function citationText(target) {
    if (!target.classList.contains("cite-block")) {
      return oneLine(target);
    }
    var lines = [];
    for (var i = 0; i < target.children.length; i++) {
      lines.push(oneLine(target.children[i]));
    }
    return lines.join("\n");
  }

  function addButtons() {
    var texts = document.querySelectorAll(".cite-text");
    for (var i = 0; i < texts.length; i++) {
      var next = texts[i].nextElementSibling;
      if (next && next.classList.contains("cite-copy")) {
        continue;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy citation");
      texts[i].insertAdjacentElement("afterend", button);
    }
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    var boxes = document.querySelectorAll("details.cite:not([open]), details.cite-all:not([open])");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].open = true;
      opened.push(boxes[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) {
      opened.pop().open = false;
    }
  });

  document.addEventListener("click", onClick);
  if (typeof window.document$ !== "undefined" && window.document$ && window.document$.subscribe) {
    window.document$.subscribe(addButtons);  // Material for MkDocs: also after instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
