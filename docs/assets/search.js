/* The hosted site's search box: Pagefind, with every passage a result of its own.
 *
 * The index (site/pagefind/, written by `build-dossier build`; see build_dossier/publish/search.py; past
 * 10,000 results in shards, merged here) holds one record per passage — its text, "Label ¶N", its section
 * and address, and filters: kind, source, author, topic — besides the source citations, debates, topic
 * pages, the Figures page and the help pages.
 * search-engine.js runs a query as Pagefind searches and ranks and counts the results; search-results.js
 * draws a result; this file is the box in the header, the result list with its filters, and the marks on the
 * page a result opens (the words it carries in `?highlight=`, as text nodes).
 *
 * Keys: "/", "s" or "f" open the search box, Esc closes it, arrow keys move through the results.
 */

import { Engine, FACETS, KINDS, WORDLIKE } from "./search-engine.js";
import { KIND_NAMES, ROOT, el, groupHeading, renderItem } from "./search-results.js";

const FACET_NAMES = { kind: "Kind", topic: "Topic", source: "Source", author: "Author" };
const PAGE_SIZE = 10; // as Material shows them: each result shown loads its fragment
const SHOWN_VALUES = 8;
const COUNT_AFTER_MS = 300; // filters are counted once the reader has stopped typing: counting is the slow part
const SHORT_WORD_WAIT_MS = 120; // a query ending in a one-letter word is probably still being typed (and slow:
// every word beginning with that letter)

// ------------------------------------------------------------------------------------------ the box

class SearchBox {
  constructor(root) {
    this.root = root;
    this.toggle = document.getElementById("__search");
    this.input = root.querySelector(".md-search__input");
    this.status = root.querySelector(".dossier-search__status");
    this.list = root.querySelector(".dossier-search__results");
    this.more = root.querySelector(".dossier-search__more");
    this.filters = root.querySelector(".dossier-search__filters");
    this.facetBox = root.querySelector(".dossier-search__facets");
    this.selected = Object.fromEntries(FACETS.map((f) => [f, new Set()]));
    this.expanded = new Set();
    this.engine = null;
    this.ranked = null;
    this.plan = null;
    this.counts = null;
    this.shown = 0;
    this.running = false;
    this.wanted = null;
    this.wake = null;
    this.drawn = 0;
  }

  start() {
    this.input.addEventListener("focus", () => this.open());
    this.input.addEventListener("input", () => this.search(this.input.value));
    this.input.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.list.querySelector("a")?.click();
    });
    this.input.form.addEventListener("reset", () => setTimeout(() => this.search(""), 0));
    this.toggle.addEventListener("change", () => (this.toggle.checked ? this.input.focus() : this.close()));
    this.more.addEventListener("click", () => this.showMore());
    this.root.addEventListener("keydown", (e) => this.keys(e));
    document.addEventListener("keydown", (e) => this.shortcut(e));
    if (matchMedia("(min-width: 60em)").matches) this.filters.open = true;
  }

  open() {
    if (!this.toggle.checked) this.toggle.checked = true;
    this.loading = this.loading || this.load();
  }

  close() {
    this.toggle.checked = false;
    this.input.blur();
  }

  async load() {
    try {
      const pagefind = await import(new URL("pagefind/pagefind.js", ROOT).href);
      // Many small searches: no worker (a message each way per search). The second instance counts filters.
      const [ranking, counting] = [pagefind.createInstance({ noWorker: true }), pagefind.createInstance({ noWorker: true })];
      const ready = ranking.init();
      const words = await fetch(new URL("pagefind/word-counts.json", ROOT)).then((r) => (r.ok ? r.json() : {}));
      // A large index is built in shards (build_dossier/publish/search.py), listed beside the first: each instance
      // searches them all, Pagefind adding up their filter counts and sorting their results by score.
      const shards = (words.shards || []).map((s) => new URL(s, ROOT).href);
      await Promise.all([ready, ...[ranking, counting].flatMap((i) => shards.map((s) => i.mergeIndex(s)))]);
      this.engine = new Engine(ranking, counting, words);
    } catch (err) {
      this.status.textContent = "Search is unavailable: its index (pagefind/, and pagefind-2/ … if listed) was not found. "
        + "Build the site with `build-dossier build`.";
      throw err;
    }
  }

  /** Run `query` now, or as soon as the search under way ends; only the latest query is run and shown. */
  async search(query) {
    this.wanted = query;
    this.wake?.(); // a query waiting for more keys (below) gives way at once
    if (this.running) return;
    this.running = true;
    try {
      while (this.wanted !== null) {
        const next = this.wanted;
        this.wanted = null;
        if (/(^|\s)\S$/.test(next)) {
          await new Promise((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, SHORT_WORD_WAIT_MS);
          });
          this.wake = null;
          if (this.wanted !== null) continue;
        }
        await this.runQuery(next).catch(() => {}); // (no index: load() has said so in the status line)
      }
    } finally {
      this.running = false;
    }
  }

  async runQuery(query) {
    this.open();
    this.list.dataset.state = "searching";
    await this.loading;
    const plan = this.engine.plan(query);
    const ranked = plan.words.length || plan.phrases.length
      ? await this.engine.run(plan, this.selected, () => this.wanted !== null) : { items: [], unknown: [] };
    if (!ranked || this.wanted !== null) return; // a newer query is waiting: do not draw this one
    [this.plan, this.ranked] = [plan, ranked];
    await this.draw(query);
  }

  async draw(query) {
    const stamp = ++this.drawn;
    const items = this.ranked.items;
    this.shown = Math.min(PAGE_SIZE, items.length);
    this.lastShown = null;
    const rendered = await this.items(items.slice(0, this.shown));
    if (stamp !== this.drawn) return;
    this.list.replaceChildren(...rendered);
    this.more.hidden = this.shown >= items.length;
    this.drawStatus(query);
    this.list.dataset.query = query;
    this.list.dataset.state = "done";
    this.facetBox.dataset.state = "counting";
    setTimeout(() => this.countFacets(stamp), COUNT_AFTER_MS);
  }

  async countFacets(stamp) {
    if (stamp !== this.drawn || this.wanted !== null) return; // the list changed meanwhile: it is counted instead
    if (!this.ranked.items.length && !FACETS.some((f) => this.selected[f].size)) {
      this.drawFacets(null);
      this.facetBox.dataset.state = "done";
      return;
    }
    const counts = await this.engine.counts(this.plan, this.selected, () => stamp !== this.drawn || this.wanted !== null);
    if (stamp !== this.drawn || this.wanted !== null) return;
    this.drawFacets(counts);
    this.facetBox.dataset.state = "done";
  }

  async items(slice) {
    const nodes = await Promise.all(slice.map((item) => renderItem(item)));
    const out = [];
    slice.forEach((item, i) => {
      const heading = groupHeading(item, i > 0 ? slice[i - 1] : this.lastShown);
      if (heading) out.push(el("li", { class: "dossier-search__group", role: "presentation" }, heading));
      out.push(nodes[i]);
    });
    this.lastShown = slice[slice.length - 1];
    return out;
  }

  async showMore() {
    const items = this.ranked.items;
    const next = items.slice(this.shown, this.shown + PAGE_SIZE);
    const first = this.list.children.length;
    this.list.append(...await this.items(next));
    this.shown += next.length;
    this.more.hidden = this.shown >= items.length;
    this.list.children[first]?.querySelector("a")?.focus();
  }

  drawStatus(query) {
    const q = query.trim();
    const total = this.ranked.items.length;
    let text = "Type to search every passage, debate, figure and page.";
    if (q) {
      const chosen = FACETS.some((f) => this.selected[f].size) ? " (filtered)" : "";
      text = total ? `${total} result${total === 1 ? "" : "s"}${chosen}` : `No results for “${q}”${chosen}.`;
      const unknown = this.ranked.unknown;
      if (unknown.length) text += ` No page has ${unknown.map((w) => `“${w}”`).join(", ")}.`;
      for (const [word, form] of this.plan.forms) text += ` “${word}” is found as “${form}…”.`;
    }
    this.status.textContent = text;
  }

  /** The filters: every value with a result (or chosen), with its count; long lists folded. */
  drawFacets(counts) {
    this.counts = counts;
    const boxes = [];
    for (const facet of counts ? FACETS : []) {
      const count = (v) => counts[facet][v] || 0;
      const values = Object.keys(this.engine.totals[facet] || {}).filter((v) => count(v) > 0 || this.selected[facet].has(v));
      if (!values.length) continue;
      values.sort(facet === "kind" ? (a, b) => KINDS.indexOf(a) - KINDS.indexOf(b)
        : (a, b) => count(b) - count(a) || a.localeCompare(b));
      const all = this.expanded.has(facet);
      boxes.push(el("fieldset", { class: "dossier-search__facet", "data-facet": facet },
        el("legend", {}, FACET_NAMES[facet]),
        (all ? values : values.slice(0, SHOWN_VALUES)).map((value) => {
          const box = el("input", { type: "checkbox", value, checked: this.selected[facet].has(value) });
          box.addEventListener("change", () => this.choose(facet, value, box.checked));
          return el("label", {}, box, ` ${facet === "kind" ? KIND_NAMES[value] || value : value} `,
            el("span", { class: "dossier-search__count" }, `${count(value)}`));
        }),
        values.length > SHOWN_VALUES ? this.expander(facet, all, values.length) : null));
    }
    const focused = document.activeElement;
    const where = this.facetBox.contains(focused) ? [focused.closest("[data-facet]")?.dataset.facet, focused.value] : null;
    this.facetBox.replaceChildren(...boxes);
    this.filters.hidden = !boxes.length;
    const chosen = FACETS.reduce((n, f) => n + this.selected[f].size, 0);
    this.filters.querySelector("summary").textContent = chosen ? `Filters (${chosen})` : "Filters";
    if (where) { // keep the keyboard where it was across the redraw
      [...this.facetBox.querySelectorAll(`[data-facet="${where[0]}"] input, [data-facet="${where[0]}"] button`)]
        .find((e) => e.value === where[1])?.focus();
    }
  }

  expander(facet, all, total) {
    const button = el("button", { type: "button", class: "dossier-search__expand", value: "more" },
      all ? "Fewer" : `All ${total}`);
    button.addEventListener("click", () => {
      if (all) this.expanded.delete(facet); else this.expanded.add(facet);
      this.drawFacets(this.counts);
    });
    return button;
  }

  choose(facet, value, on) {
    if (on) this.selected[facet].add(value); else this.selected[facet].delete(value);
    this.search(this.input.value);
  }

  keys(e) {
    const links = [...this.list.querySelectorAll("a.dossier-search__link")];
    const at = links.indexOf(document.activeElement);
    if (e.key === "Escape") {
      e.preventDefault();
      this.close();
    } else if (e.key === "ArrowDown" && (e.target === this.input || at >= 0)) {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)]?.focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      (at === 0 ? this.input : links[at - 1]).focus();
    }
  }

  shortcut(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !["/", "s", "f"].includes(e.key)) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    this.open();
    this.input.focus();
    this.input.select();
  }
}

// ------------------------------------------------------------------------------------------- landing

/** On a page opened from a result: mark the searched words in the passage landed on (else the page). */
function highlightLanding() {
  const texts = new URLSearchParams(location.search).getAll("highlight").filter((t) => WORDLIKE.test(t));
  if (!texts.length) return;
  const article = document.querySelector("article.md-content__inner");
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const passage = target && target.closest(".passage");
  const scopes = passage ? [...passage.querySelectorAll(".passage-text")] : article ? [article] : [];
  const pattern = texts.sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+")).join("|");
  const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, "giu");
  for (const scope of scopes) {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => node.parentElement.closest("[data-search-exclude], .headerlink, script, style, mark")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) markText(node, regex);
  }
  if (passage) passage.classList.add("dossier-search__landed");
}

function markText(node, regex) {
  const text = node.data;
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(regex)) {
    parts.push(text.slice(last, m.index), el("mark", { class: "dossier-search__hit" }, m[0]));
    last = m.index + m[0].length;
  }
  if (!parts.length) return;
  parts.push(text.slice(last));
  node.replaceWith(...parts.filter((p) => p !== ""));
}

// --------------------------------------------------------------------------------------------- start

const box = document.querySelector(".dossier-search");
if (box) new SearchBox(box).start();
highlightLanding();
