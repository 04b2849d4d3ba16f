/* The hosted site's search box: Pagefind, with every passage a result of its own.
 *
 * The index (site/pagefind/, written by `build-dossier build`; see build_dossier/search.py) holds one
 * record per passage — its text, "Label ¶N", its section and address, and filters: kind, source, author,
 * topic — besides the debates, topic pages, the Figures page and the help pages.
 *
 * Ranking. Pagefind ranks by BM25 but has no phrase boost, matches every word as a prefix ("of" finds
 * "officials") and requires every word of an unquoted query. So a query runs as several Pagefind
 * searches whose results are merged here: the words as an exact phrase, each word as a whole word (an
 * exact search: Pagefind's stems, no prefixes) and each word as typed (prefixes, with BM25 scores).
 * Results come in this order: the phrase; all words as whole words; all words, some only as prefixes;
 * then fewer and fewer of the words; within each group by the summed BM25 score. Help pages (kind
 * `page`) come after all content. A quoted part ("axis of upheaval") must match as a phrase.
 *
 * Filters and counts are computed here over that merged list, from a map of every result's filter
 * values that is built once, when the search box is first used (one filter-only search per value).
 *
 * Marks. An excerpt marks the phrase, else each word where it occurs whole, and only where a result has
 * no whole occurrence of a word, the longer words it matched as a prefix: never "of" in "officials".
 * A result's link carries the marked text (`?highlight=`); on the page it opens, the passage it lands
 * on (or the page, for other results) has those words marked. Source text only ever reaches the page as
 * text nodes, never as markup.
 *
 * Keys: "/", "s" or "f" open the search box, Esc closes it, arrow keys move through the results.
 */

const CONFIG = JSON.parse(document.getElementById("__config").textContent);
const ROOT = new URL(CONFIG.base.replace(/\/*$/, "/"), location.href);
const FACETS = ["kind", "topic", "source", "author"];
const FACET_NAMES = { kind: "Kind", topic: "Topic", source: "Source", author: "Author" };
const KINDS = ["passage", "source", "debate", "figure", "topic", "page"];
const KIND_NAMES = { passage: "Passages", source: "Sources", debate: "Debates", figure: "Figures", topic: "Topic pages",
  page: "Help and other pages" };
const DERIVED = new Set(["debate", "figure", "topic"]); // pages that quote or list passages: after them, in a group
const GROUPS = ["phrase", "all", "some"];
const PAGE_SIZE = 20;
const SHOWN_VALUES = 8;
const EXCERPT_WORDS = 36;
const WORDLIKE = /[\p{L}\p{N}]/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

// ------------------------------------------------------------------------------------------ the query

/** The words of `text`, without the punctuation around them ("$245" -> "245": the index has no "$"). */
function splitWords(text) {
  return text.split(/\s+/).map((w) => w.replace(EDGE_PUNCTUATION, "")).filter((w) => w);
}

/** Quoted parts (each a required phrase) and the other words of a query (each once). */
export function parseQuery(text) {
  const phrases = [];
  const rest = text.replace(/["“”]([^"“”]*)["“”]/g, (_, inner) => {
    const words = splitWords(inner);
    if (words.length) phrases.push(words.join(" "));
    return " ";
  });
  const seen = new Set();
  const words = splitWords(rest).filter((w) => !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
  return { phrases, words };
}

// ----------------------------------------------------------------------------------------- the engine

/** Pagefind results by id. */
async function byId(pagefind, term) {
  const found = await pagefind.search(term);
  return new Map(found.results.map((r) => [r.id, r]));
}

/* Results of `word` as a prefix; where there are none, of the word without its last letter or two.
 * Pagefind matches prefixes of its stems, and the stemmer may change a word's end ("Zelensky" is stemmed
 * "zelenski", no prefix of "zelenskyy"): a word found nowhere is tried shorter, down to four letters. */
async function prefixed(pagefind, word) {
  for (let cut = 0; cut <= 2 && (cut === 0 || word.length - cut >= 4); cut++) {
    const found = await byId(pagefind, word.slice(0, word.length - cut));
    if (found.size || cut === 2) return found;
  }
  return new Map();
}

class Engine {
  constructor(pagefind) {
    this.pagefind = pagefind;
    this.values = new Map(); // result id -> {facet: [values]}
    this.counts = {}; // facet -> {value: count over the whole index}
  }

  /** Every result's filter values: one filter-only search per value (ids only, no fragments). */
  async load() {
    this.counts = await this.pagefind.filters();
    this.total = Object.values(this.counts.kind || {}).reduce((a, b) => a + b, 0); // every result has one kind
    const jobs = [];
    for (const [facet, values] of Object.entries(this.counts)) {
      for (const value of Object.keys(values)) {
        jobs.push(this.pagefind.search(null, { filters: { [facet]: value } }).then((found) => {
          for (const r of found.results) {
            const entry = this.values.get(r.id) || {};
            (entry[facet] = entry[facet] || []).push(value);
            this.values.set(r.id, entry);
          }
        }));
      }
    }
    await Promise.all(jobs);
  }

  facetsOf(id) {
    return this.values.get(id) || {};
  }

  /** The ranked results of a query: [{id, result, key, marks: () => {spans, words}}]. */
  async run(text) {
    const { phrases, words } = parseQuery(text);
    if (!phrases.length && !words.length) return { items: [], unknown: [] };
    const pf = this.pagefind;
    const [required, phraseWords, exact, loose, phrase] = await Promise.all([
      Promise.all(phrases.map((p) => byId(pf, `"${p}"`))),
      Promise.all(phrases.map((p) => byId(pf, p))), // BM25 scores for the phrases' words
      Promise.all(words.map((w) => byId(pf, `"${w}"`))),
      Promise.all(words.map((w) => prefixed(pf, w))),
      words.length > 1 ? byId(pf, `"${words.join(" ")}"`) : Promise.resolve(new Map()),
    ]);
    const n = words.length;
    // A result with only some of the words needs one that is not on most pages ("of", "China"): else it is noise.
    const telling = loose.filter((m) => m.size <= this.total / 2);
    const ids = required.length ? [...required[0].keys()].filter((id) => required.every((m) => m.has(id)))
      : [...new Set(loose.flatMap((m) => [...m.keys()]))]
        .filter((id) => loose.every((m) => m.has(id)) || telling.some((m) => m.has(id)));
    const items = ids.map((id) => {
      const whole = exact.filter((m) => m.has(id)).length;
      const isPhrase = phrase.has(id);
      const score = [...phraseWords, ...loose].reduce((sum, m) => sum + (m.get(id)?.score || 0), 0);
      const kind = (this.facetsOf(id).kind || ["page"])[0];
      const result = required[0]?.get(id) || loose.find((m) => m.has(id)).get(id);
      const group = isPhrase ? "phrase" : loose.every((m) => m.has(id)) ? "all" : "some";
      const rank = GROUPS.indexOf(group);
      return {
        id, result, kind, group,
        // help pages last; then by group; whole words before prefixes; passages before pages quoting them; BM25
        key: [kind === "page" ? 1 : 0, rank, group === "some" ? 0 : n - whole, DERIVED.has(kind) ? 1 : 0, -score],
        marks: () => ({
          spans: [...required, ...(isPhrase ? [phrase] : [])].map((m) => m.get(id).words),
          words: isPhrase ? [] : words.flatMap((_, i) => exact[i].get(id)?.words || loose[i].get(id)?.words || []),
        }),
      };
    });
    items.sort((a, b) => compareKeys(a.key, b.key) || (a.id < b.id ? -1 : 1));
    const unknown = words.filter((_, i) => loose[i].size === 0);
    return { items, unknown };
  }
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// ------------------------------------------------------------------------------------------ filtering

/** Items passing every facet's selection (values of one facet are alternatives), but `except` a facet. */
function passing(engine, items, selected, except = null) {
  return items.filter((item) => {
    const values = engine.facetsOf(item.id);
    return FACETS.every((facet) => facet === except || !selected[facet].size
      || (values[facet] || []).some((v) => selected[facet].has(v)));
  });
}

/** For each facet, the count of each value among the items the other facets' selections leave. */
function facetCounts(engine, items, selected) {
  const counts = {};
  for (const facet of FACETS) {
    counts[facet] = new Map();
    for (const item of passing(engine, items, selected, facet)) {
      for (const v of engine.facetsOf(item.id)[facet] || []) counts[facet].set(v, (counts[facet].get(v) || 0) + 1);
    }
  }
  return counts;
}

// -------------------------------------------------------------------------------------------- display

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** The words of a fragment's content, split as Pagefind counts word locations. */
function contentWords(content) {
  return content.split(/[\r\n\s]+/g);
}

/** Which word locations to mark: a Map location -> span id (words of one phrase share an id). */
function markedLocations(marks) {
  const marked = new Map();
  marks.spans.forEach((locations, i) => {
    if (!locations.length) return;
    const first = Math.min(...locations);
    const last = Math.max(...locations);
    for (let l = first; l <= last; l++) marked.set(l, `s${i}`);
  });
  for (const l of marks.words) if (!marked.has(l)) marked.set(l, `w${l}`);
  return marked;
}

/** The stretch of about EXCERPT_WORDS words with the most marks, as text and <mark> nodes. */
function excerpt(words, marked) {
  let start = 0;
  if (words.length > EXCERPT_WORDS && marked.size) {
    const locations = [...marked.keys()].sort((a, b) => a - b);
    let best = -1;
    for (const l of locations) {
      const from = Math.max(0, Math.min(l - 6, words.length - EXCERPT_WORDS));
      const inside = locations.filter((m) => m >= from && m < from + EXCERPT_WORDS).length;
      if (inside > best) [best, start] = [inside, from];
    }
  }
  const end = Math.min(words.length, start + EXCERPT_WORDS);
  const nodes = [start > 0 ? "… " : ""];
  let i = start;
  while (i < end) {
    const span = marked.get(i);
    if (span === undefined) {
      nodes.push(words[i] + (i + 1 < end ? " " : ""));
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < end && marked.get(j + 1) === span) j++;
    const text = words.slice(i, j + 1).join(" ");
    const lead = text.match(/^[^\p{L}\p{N}]*/u)[0];
    const tail = text.slice(lead.length).match(/[^\p{L}\p{N}]*$/u)[0];
    nodes.push(lead, el("mark", {}, text.slice(lead.length, text.length - tail.length)), tail + (j + 1 < end ? " " : ""));
    i = j + 1;
  }
  if (end < words.length) nodes.push(" …");
  return nodes;
}

/** The marked words and phrases, as they are written (for the page the result opens). */
function markedTexts(words, marked) {
  const texts = new Map();
  for (const [location, span] of marked) {
    const prior = texts.get(span);
    texts.set(span, prior === undefined ? words[location] : `${prior} ${words[location]}`);
  }
  return [...new Set([...texts.values()].map((t) => t.replace(EDGE_PUNCTUATION, "")).filter(Boolean))];
}

/** The heading (with an id) a page result's first mark stands under, if any. */
function anchorFor(anchors, marked) {
  const first = Math.min(...marked.keys());
  let best = null;
  for (const a of anchors || []) if (a.id && a.location <= first) best = a;
  return best;
}

async function renderItem(engine, item) {
  const data = await item.result.data();
  const words = contentWords(data.content);
  const marked = markedLocations(item.marks());
  const meta = data.meta || {};
  const target = meta.target || (data.raw_url || data.url || "").replace(/^\//, "");
  const href = new URL(target, ROOT);
  const anchor = item.kind === "passage" || item.kind === "source" ? null : anchorFor(data.anchors, marked);
  if (anchor) href.hash = anchor.id;
  for (const text of markedTexts(words, marked)) href.searchParams.append("highlight", text);
  const section = meta.section || (anchor && anchor.text !== meta.title ? anchor.text : "");
  const topics = item.kind === "passage" ? engine.facetsOf(item.id).topic || [] : [];
  return el("li", { class: "dossier-search__result", "data-kind": item.kind },
    el("a", { class: "dossier-search__link", href: href.href },
      el("span", { class: "dossier-search__head" },
        el("span", { class: "dossier-search__title" }, meta.title || target),
        section ? el("span", { class: "dossier-search__section" }, section) : null,
        item.kind === "passage" ? null : el("span", { class: "dossier-search__kind" }, item.kind)),
      el("span", { class: "dossier-search__excerpt" }, excerpt(words, marked))),
    topics.length ? el("span", { class: "dossier-search__topics" },
      topics.map((t) => el("span", { class: `chip chip-${t}` }, t))) : null);
}

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
    this.ranked = { items: [], unknown: [] };
    this.shown = 0;
    this.query = "";
    this.running = null;
    this.wanted = null;
    this.render = 0;
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
      await pagefind.options({ excerptLength: 0 });
      await pagefind.init();
      const engine = new Engine(pagefind);
      await engine.load();
      this.engine = engine;
    } catch (err) {
      this.status.textContent = "Search is unavailable: its index (pagefind/) was not found. Build the site with `build-dossier build`.";
      throw err;
    }
  }

  /** Run `query` now, or as soon as the search under way ends; only the latest query is run and shown. */
  async search(query) {
    this.wanted = query;
    if (this.running) return;
    while (this.wanted !== null) {
      const next = this.wanted;
      this.wanted = null;
      this.running = this.runQuery(next);
      try {
        await this.running;
      } finally {
        this.running = null;
      }
    }
  }

  async runQuery(query) {
    this.open();
    this.list.dataset.state = "searching";
    await this.loading;
    this.query = query;
    this.ranked = query.trim() ? await this.engine.run(query) : { items: [], unknown: [] };
    if (this.wanted !== null) return; // a newer query is waiting: do not draw this one
    await this.draw();
  }

  visible() {
    return passing(this.engine, this.ranked.items, this.selected);
  }

  async draw() {
    const stamp = ++this.render;
    const items = this.visible();
    this.shown = Math.min(PAGE_SIZE, items.length);
    const rendered = await this.items(items.slice(0, this.shown));
    if (stamp !== this.render) return;
    this.list.replaceChildren(...rendered);
    this.more.hidden = this.shown >= items.length;
    this.drawStatus(items);
    this.drawFacets();
    this.list.dataset.query = this.query;
    this.list.dataset.state = "done";
  }

  async items(slice) {
    const nodes = await Promise.all(slice.map((item) => renderItem(this.engine, item)));
    const out = [];
    slice.forEach((item, i) => {
      const previous = i > 0 ? slice[i - 1] : this.lastShown;
      const heading = groupHeading(item, previous);
      if (heading) out.push(el("li", { class: "dossier-search__group", role: "presentation" }, heading));
      out.push(nodes[i]);
    });
    this.lastShown = slice[slice.length - 1];
    return out;
  }

  async showMore() {
    const items = this.visible();
    const next = items.slice(this.shown, this.shown + PAGE_SIZE);
    const first = this.list.children.length;
    this.list.append(...await this.items(next));
    this.shown += next.length;
    this.more.hidden = this.shown >= items.length;
    this.list.children[first]?.querySelector("a")?.focus();
  }

  drawStatus(items) {
    const q = this.query.trim();
    let text = "Type to search every passage, debate, figure and page.";
    if (q) {
      const total = this.ranked.items.length;
      text = !total ? `No results for “${q}”.`
        : items.length === total ? `${total} result${total === 1 ? "" : "s"}`
          : `${items.length} of ${total} results (filtered)`;
      if (this.ranked.unknown.length) text += ` No page has the word${this.ranked.unknown.length > 1 ? "s" : ""} ${this.ranked.unknown.map((w) => `“${w}”`).join(", ")}.`;
    }
    this.status.textContent = text;
  }

  drawFacets() {
    const counts = facetCounts(this.engine, this.ranked.items, this.selected);
    const boxes = [];
    for (const facet of FACETS) {
      const values = [...new Set([...counts[facet].keys(), ...this.selected[facet]])];
      if (!values.length) continue;
      values.sort(facet === "kind" ? (a, b) => KINDS.indexOf(a) - KINDS.indexOf(b)
        : (a, b) => (counts[facet].get(b) || 0) - (counts[facet].get(a) || 0) || a.localeCompare(b));
      const all = this.expanded.has(facet);
      const shown = all ? values : values.slice(0, SHOWN_VALUES);
      boxes.push(el("fieldset", { class: "dossier-search__facet", "data-facet": facet },
        el("legend", {}, FACET_NAMES[facet]),
        shown.map((value) => {
          const box = el("input", { type: "checkbox", value, checked: this.selected[facet].has(value) });
          box.addEventListener("change", () => this.choose(facet, value, box.checked));
          return el("label", {}, box, ` ${facet === "kind" ? KIND_NAMES[value] || value : value} `,
            el("span", { class: "dossier-search__count" }, `${counts[facet].get(value) || 0}`));
        }),
        values.length > SHOWN_VALUES ? this.expander(facet, all, values.length) : null));
    }
    const focused = document.activeElement;
    const where = this.facetBox.contains(focused) && focused.closest("[data-facet]") ? [focused.closest("[data-facet]").dataset.facet, focused.value] : null;
    this.facetBox.replaceChildren(...boxes);
    this.filters.hidden = !boxes.length;
    const chosen = [...Object.values(this.selected)].reduce((n, s) => n + s.size, 0);
    this.filters.querySelector("summary").textContent = chosen ? `Filters (${chosen})` : "Filters";
    if (where) {  // keep the keyboard where it was across the redraw
      const again = [...this.facetBox.querySelectorAll(`[data-facet="${where[0]}"] input, [data-facet="${where[0]}"] button`)]
        .find((e) => e.value === where[1]);
      again?.focus();
    }
  }

  expander(facet, all, total) {
    const button = el("button", { type: "button", class: "dossier-search__expand", value: "more" },
      all ? "Fewer" : `All ${total}`);
    button.addEventListener("click", () => {
      if (all) this.expanded.delete(facet); else this.expanded.add(facet);
      this.drawFacets();
    });
    return button;
  }

  choose(facet, value, on) {
    if (on) this.selected[facet].add(value); else this.selected[facet].delete(value);
    this.lastShown = null;
    this.draw();
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

function groupHeading(item, previous) {
  const label = { phrase: "Exact phrase", all: "All the words", some: "Some of the words" };
  if (item.kind === "page") return previous && previous.kind === "page" ? null : "Help and other pages";
  if (previous && previous.group === item.group) return null;
  return !previous && item.group === "all" ? null : label[item.group];
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
