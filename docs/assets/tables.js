/*
 * The debates and sources indexes with JavaScript (without it they are plain tables, all rows shown).
 *
 * Debates: the filter (hidden until this script shows it) narrows the table's rows by topic,
 * author, relation and the author the relation is towards, reading each row's data-topics,
 * data-authors and data-pairs ("source/other/relation"); the choice is kept in the URL's query, so a
 * matrix cell's link opens the table filtered, and the pager's links keep it.
 * Sources: a table with class dossier-sortable sorts by a column when its heading's button is pressed.
 */
(function () {
  "use strict";

  function matches(row, terms) {
    var topics = (row.getAttribute("data-topics") || "").split(" ");
    var authors = (row.getAttribute("data-authors") || "").split(" ");
    if (terms.topic && topics.indexOf(terms.topic) < 0) return false;
    if (terms.author && authors.indexOf(terms.author) < 0) return false;
    if (terms["with"] && authors.indexOf(terms["with"]) < 0) return false;
    if (!terms.relation) return true;
    return (row.getAttribute("data-pairs") || "").split(" ").some(function (pair) {
      var p = pair.split("/");
      return p[2] === terms.relation && (!terms.author || p[0] === terms.author) && (!terms["with"] || p[1] === terms["with"]);
    });
  }

  function filterTable(form) {
    var table = document.getElementById(form.getAttribute("data-filter"));
    function field(name) { return form.querySelector("select[name=" + name + "]"); }
    if (!table) return;
    var names = ["topic", "author", "relation", "with"];
    var params = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      var select = field(name), value = params.get(name);
      if (value && [].some.call(select.options, function (o) { return o.value === value; })) select.value = value;
    });
    var rows = [].slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".dossier-filter__count");
    function apply() {
      var terms = {}, query = new URLSearchParams();
      names.forEach(function (name) {
        terms[name] = field(name).value;
        if (terms[name]) query.set(name, terms[name]);
      });
      var shown = 0;
      rows.forEach(function (row) {
        var on = matches(row, terms);
        row.hidden = !on;
        if (on) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " debates on this page";
      var search = query.toString() ? "?" + query.toString() : "";
      history.replaceState(null, "", window.location.pathname + search + window.location.hash);
      document.querySelectorAll(".dossier-pager a").forEach(function (a) {
        a.href = a.href.split(/[?#]/)[0] + search;
      });
    }
    form.addEventListener("change", apply);
    form.querySelector(".dossier-filter__reset").addEventListener("click", function () {
      names.forEach(function (name) { field(name).value = ""; });
      apply();
    });
    form.hidden = false;
    apply();
  }

  function sortKey(cell) {
    var key = cell.getAttribute("data-sort");
    return key !== null ? parseFloat(key) : cell.textContent.trim().toLowerCase();
  }

  function sortable(table) {
    var heads = table.tHead.rows[0].cells;
    [].forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dossier-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        [].forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = [].slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column]), y = sortKey(b.cells[column]);
          var empty = (x === "") - (y === "");  // unknown values last, either way
          if (empty) return empty;
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
    document.querySelectorAll(".dossier-filter[data-filter]").forEach(filterTable);
    document.querySelectorAll("table.dossier-sortable").forEach(sortable);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
