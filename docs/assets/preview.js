/*
 * Previews of linked passages (build_dossier/render/previews.py writes the data).
 *
 * Every link to a passage (class passage-link) names, in aria-describedby, an element of the page
 * holding the passage's "Author ¶N · section" and text. Hovering or focusing the link shows a copy of it in a popover, with
 * the relation the link states (data-relation). On a touch screen the first tap shows the popover and
 * a second tap on the same link follows it; a tap elsewhere or Esc closes it. The popover copies nodes
 * the build wrote (inert text), never HTML strings, and asks nothing of any server.
 */
(function () {
  "use strict";
  var SELECTOR = "a.passage-link[aria-describedby]";
  var popover = null, current = null, armed = null, hideTimer = 0, lastPointer = "mouse";

  function make() {
    popover = document.createElement("div");
    popover.className = "passage-popover";
    popover.id = "passage-popover";
    popover.setAttribute("role", "tooltip");
    popover.hidden = true;
    popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", function () { later(); });
    document.body.appendChild(popover);
  }

  function fill(link) {
    var source = document.getElementById(link.getAttribute("aria-describedby"));
    if (!source) return false;
    var copy = source.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var head = copy.querySelector(".passage-preview__head");
    if (head) {
      head.hidden = false;
      head.className = "passage-popover__head";
      head.remove();
    }
    popover.textContent = "";
    var relation = link.getAttribute("data-relation");
    if (relation) {
      var rel = document.createElement("span");
      rel.className = "passage-popover__relation";
      rel.textContent = relation;
      popover.appendChild(rel);
    }
    if (head) popover.appendChild(head);
    copy.className = "passage-popover__text";
    popover.appendChild(copy);
    return true;
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var width = Math.min(480, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (r.bottom + window.scrollY + 6) + "px";
    var below = window.innerHeight - r.bottom;
    if (below < popover.offsetHeight + 12 && r.top > popover.offsetHeight + 12) {
      popover.style.top = (r.top + window.scrollY - popover.offsetHeight - 6) + "px";
    }
  }

  function show(link) {
    clearTimeout(hideTimer);
    if (current === link && !popover.hidden) return;
    if (!fill(link)) return;
    if (current) current.removeAttribute("aria-expanded");
    current = link;
    popover.hidden = false;
    link.setAttribute("aria-expanded", "true");
    place(link);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    armed = null;
    if (current) current.removeAttribute("aria-expanded");
    current = null;
  }

  function later() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function linkOf(target) {
    return target && target.closest ? target.closest(SELECTOR) : null;
  }

  function init() {
    if (!document.querySelector(SELECTOR)) return;
    make();
    document.addEventListener("pointerdown", function (e) {
      lastPointer = e.pointerType || "mouse";
      if (!linkOf(e.target) && !popover.contains(e.target)) hide();
    }, true);
    document.addEventListener("mouseover", function (e) {
      var link = linkOf(e.target);
      if (link && lastPointer === "mouse") show(link);
    });
    document.addEventListener("mouseout", function (e) {
      var link = linkOf(e.target);
      if (link && lastPointer === "mouse" && !link.contains(e.relatedTarget)) later();
    });
    document.addEventListener("focusin", function (e) {
      var link = linkOf(e.target);
      if (link) show(link);
    });
    document.addEventListener("focusout", function (e) {
      if (linkOf(e.target) && lastPointer !== "touch") later();
    });
    document.addEventListener("click", function (e) {
      var link = linkOf(e.target);
      if (!link || lastPointer !== "touch") return;
      // Touch: the first tap shows the passage (focus may have shown it already), a second tap follows the link.
      if (armed !== link || popover.hidden) {
        e.preventDefault();
        show(link);
        armed = link;
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && popover && !popover.hidden) {
        hide();
      }
    });
    window.addEventListener("resize", hide);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
