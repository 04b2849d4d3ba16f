/* One search result as the search box (search.js) shows it: "Author ¶N" or the page's title, its section, an
 * excerpt with the searched words marked, the passage's own topics, and a link to its address.
 *
 * Marks. An excerpt marks the phrase, else each telling word where the result has it whole (or, having it only
 * as a prefix, as matched) and each common word only whole: never "of" in "officials". The link carries the
 * marked text (`?highlight=`); on the page it opens, the passage it lands on (or the page, for other results)
 * has that text marked (search.js). Index text reaches the page only as text nodes, never as markup.
 */

import { EDGE_PUNCTUATION, normalizeWord, sameWord } from "./search-engine.js";

const CONFIG = JSON.parse(document.getElementById("__config").textContent);
export const ROOT = new URL(CONFIG.base.replace(/\/*$/, "/"), location.href); // the site's root, from any page
const EXCERPT_WORDS = 36;
export const KIND_NAMES = { passage: "Passages", source: "Sources", debate: "Debates", figure: "Figures", event: "Timeline",
  topic: "Topic pages",
  page: "Help and other pages" };
const TIER_NAMES = { phrase: "Exact phrase", whole: "All the words", prefix: "All the words, some as prefixes",
  some: "Some of the words" };

export function el(tag, attrs = {}, ...children) {
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

/** Which word locations to mark (see marksOf in search-engine.js): a Map location -> span id (a phrase's words share one). */
function markedLocations(marks, words) {
  const marked = new Map();
  const mark = (l, id) => { if (!marked.has(l) && l < words.length) marked.set(l, id); };
  marks.spans.forEach((locations, i) => {
    if (!locations.length) return;
    for (let l = Math.min(...locations); l <= Math.max(...locations); l++) mark(l, `s${i}`);
  });
  for (const { word, exact, loose } of marks.words) {
    const forms = new Set(exact.map((l) => normalizeWord(words[l] || "")));
    for (const l of [...exact, ...loose]) {
      if (!exact.length || forms.has(normalizeWord(words[l] || "")) || sameWord(words[l] || "", word)) mark(l, `w${l}`);
    }
  }
  if (marks.common) {
    for (const l of marks.common.locations) {
      if (marks.common.words.some((w) => sameWord(words[l] || "", w))) mark(l, `w${l}`);
    }
  }
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
  for (const [location, span] of [...marked].sort((a, b) => a[0] - b[0])) {
    const prior = texts.get(span);
    texts.set(span, prior === undefined ? words[location] : `${prior} ${words[location]}`);
  }
  return [...new Set([...texts.values()].map((t) => t.replace(EDGE_PUNCTUATION, "")).filter(Boolean))];
}

/** The heading (with an id) a page result's first mark stands under, if any. */
function anchorFor(anchors, marked) {
  const first = marked.size ? Math.min(...marked.keys()) : 0;
  let best = null;
  for (const a of anchors || []) if (a.id && a.location <= first) best = a;
  return best;
}

export async function renderItem(item) {
  const data = await item.result.data();
  const words = contentWords(data.content);
  const marked = markedLocations(item.marks(), words);
  const meta = data.meta || {};
  const kind = (data.filters.kind || ["page"])[0];
  const target = meta.target || (data.raw_url || data.url || "").replace(/^\//, "");
  const href = new URL(target, ROOT);
  const anchor = kind === "passage" || kind === "source" ? null : anchorFor(data.anchors, marked);
  if (anchor) href.hash = anchor.id;
  for (const text of markedTexts(words, marked)) href.searchParams.append("highlight", text);
  const section = meta.section || (anchor && anchor.text !== meta.title ? anchor.text : "");
  const topics = kind === "passage" ? data.filters.topic || [] : [];
  return el("li", { class: "dossier-search__result", "data-kind": kind },
    el("a", { class: "dossier-search__link", href: href.href },
      el("span", { class: "dossier-search__head" },
        el("span", { class: "dossier-search__title" }, meta.title || target),
        section ? el("span", { class: "dossier-search__section" }, section) : null,
        kind === "passage" ? null : el("span", { class: "dossier-search__kind" }, kind)),
      el("span", { class: "dossier-search__excerpt" }, excerpt(words, marked))),
    topics.length ? el("span", { class: "dossier-search__topics" },
      topics.map((t) => el("span", { class: `chip chip-${t}` }, t))) : null);
}

/** The label above a result where the list passes into another group (none above the usual first). */
export function groupHeading(item, previous) {
  const help = item.key[0] === 1;
  if (help) return previous && previous.key[0] === 1 ? null : KIND_NAMES.page;
  if (previous && previous.tier === item.tier) return null;
  return !previous && item.tier === "whole" ? null : TIER_NAMES[item.tier];
}
