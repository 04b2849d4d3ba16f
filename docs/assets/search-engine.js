/* Ranking and counting for the hosted site's search box (search.js), on Pagefind's JavaScript API.
 *
 * Pagefind ranks by BM25 but has no phrase boost, matches every word as a prefix ("of" finds
 * "officials") and requires every word of an unquoted query. So a query runs as several Pagefind
 * searches whose results are merged here, in this order:
 *   1. the words as an exact phrase;
 *   2. all the words, each as a whole word (Pagefind's exact search: its stems, no prefixes);
 *   3. all the words, some only as prefixes;
 *   4. some of the words — at least one "telling" word (see below);
 * and within each, passages and sources before the pages that quote or list them (debates, figures, events,
 * topic pages), then by BM25 score. Help and other pages (kind `page`) come after all content. A quoted
 * part ("axis of upheaval") must match as a phrase; the other words then only rank.
 *
 * Cost. Pagefind's time grows with the square of a search's results (8,000 pages with "of" take a
 * third of a second at N = 300), so words found on many pages are never searched alone: a word is
 * "common" if it is shorter than three letters, or if the words it begins are on more passages than
 * the build's mark (half the passages, at most 500; pagefind/word-counts.json). Only the "telling"
 * words, the others, are searched alone; every word is in the one search for all the words. The phrase
 * is searched when a telling word keeps it cheap, or when few pages have all the words.
 *
 * Filters. Each search is filtered by Pagefind itself: the reader's selections (values of one facet are
 * alternatives, facets combine); the searches that make up the list are also split three ways by kind,
 * which gives the ranking its kinds. Counts are Pagefind's own: those of the search for all the words,
 * or, where the list also holds results with some of the words (the union of the telling words'
 * results), their union counted by inclusion and exclusion over searches of the telling words'
 * combinations. A facet with a selection is counted without it, so its other values show what choosing
 * them instead would give. Counting runs in a second Pagefind instance, after the results are shown:
 * once Pagefind has loaded every filter, each of its searches also counts them all, which would slow
 * down the searches for the list.
 */

export const FACETS = ["kind", "topic", "source", "author"];
export const KINDS = ["passage", "source", "debate", "figure", "event", "topic", "page"];
const GROUPS = [
  { kinds: ["passage", "source"], help: 0, derived: 0 },
  { kinds: ["debate", "figure", "event", "topic"], help: 0, derived: 1 }, // pages that quote or list passages
  { kinds: ["page"], help: 1, derived: 0 },
];
const TIERS = ["phrase", "whole", "prefix", "some"];
const PHRASE_LIMIT = 400; // all-common-word queries: the phrase is searched if at most this many pages have every word
const MAX_TELLING_COUNTED = 6; // inclusion and exclusion over 2^6 - 1 searches at most
export const WORDLIKE = /[\p{L}\p{N}]/u;
export const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** A word as Pagefind compares it: lower case, letters and digits only ("U.S." -> "us", "4,300" -> "4300"). */
export function normalizeWord(word) {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** The words of `text`, without the punctuation around them ("$245" -> "245": the index has no "$"). */
function splitWords(text) {
  return text.split(/\s+/).map((w) => w.replace(EDGE_PUNCTUATION, "")).filter((w) => WORDLIKE.test(w));
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
  const words = splitWords(rest).filter((w) => !seen.has(normalizeWord(w)) && seen.add(normalizeWord(w)));
  return { phrases, words };
}

/** Whether a word of the text is one of the query's words, whole or with a plural or possessive ending. */
export function sameWord(token, word) {
  const t = normalizeWord(token);
  const w = normalizeWord(word);
  return t === w || t === `${w}s` || t === `${w}es`;
}

/** Pagefind filters for the reader's selections, leaving out facet `except`. */
export function facetFilters(selected, except = null) {
  const filters = {};
  for (const facet of FACETS) {
    if (facet !== except && selected[facet].size) filters[facet] = { any: [...selected[facet]] };
  }
  return filters;
}

/** Every non-empty subset of `items`, with its inclusion-exclusion sign. */
function subsets(items) {
  const out = [];
  for (let mask = 1; mask < 1 << items.length; mask++) {
    const chosen = items.filter((_, i) => mask & (1 << i));
    out.push({ items: chosen, sign: chosen.length % 2 ? 1 : -1 });
  }
  return out;
}

const STALE = Symbol("stale");
const union = (maps) => [...new Set(maps.flatMap((m) => [...m.keys()]))];
const sizeOf = (perGroup) => perGroup.reduce((n, m) => n + m.size, 0);

export class Engine {
  /** `pagefind` and `counter`: two Pagefind instances (see Filters above); `words`: pagefind/word-counts.json. */
  constructor(pagefind, counter, words) {
    this.pagefind = pagefind;
    this.counter = counter;
    this.wordCounts = Object.entries(words.counts || {});
    this.commonMark = words.common ?? Infinity;
    this.totals = null; // every filter value with its count in the whole index, once loaded
  }

  /** Words not worth searching alone (see Cost above). */
  isCommon(word) {
    const w = normalizeWord(word);
    if (w.length < 3) return true;
    let passages = 0;
    for (const [counted, n] of this.wordCounts) if (counted.startsWith(w)) passages += n;
    return passages > this.commonMark;
  }

  /** The query's phrases and words, which words are telling, and the form each telling word is searched in. */
  plan(text) {
    const { phrases, words } = parseQuery(text);
    return { text, phrases, words, telling: words.filter((w) => !this.isCommon(w)), forms: new Map() };
  }

  async find(term, filters) {
    const found = await this.pagefind.search(term, { filters });
    return new Map(found.results.map((r) => [r.id, r]));
  }

  /* A telling word as a prefix; where no content has it, the word without its last letter or two.
   * Pagefind matches prefixes of its stems, and the stemmer may change a word's end ("Zelensky" is stemmed
   * "zelenski", no prefix of "zelenskyy"): a word that no passage, source, debate, figure, event or topic page has
   * (help pages may quote anything) is tried shorter, down to four letters. `found` counts content results. */
  async prefixed(word, plan, per, found) {
    let results = await per(word);
    for (let cut = 1; !found(results) && cut <= 2 && word.length - cut >= 4; cut++) {
      const form = word.slice(0, word.length - cut);
      const shorter = await per(form);
      if (found(shorter)) {
        plan.forms.set(word, form);
        results = shorter;
      }
    }
    return results;
  }

  /** The ranked results of `plan` under the reader's selections; null if `stale()` says it is no longer wanted. */
  async run(plan, selected, stale) {
    try {
      return await this.rank(plan, selected, stale);
    } catch (err) {
      if (err === STALE) return null;
      throw err;
    }
  }

  async rank(plan, selected, stale) {
    const { phrases, words, telling } = plan;
    const base = facetFilters(selected, "kind");
    const groups = GROUPS.map((g) => ({ ...g, kinds: g.kinds.filter((k) => !selected.kind.size || selected.kind.has(k)) }))
      .filter((g) => g.kinds.length);
    // The index chunks every search needs, fetched together; then the searches one by one, each only if the query
    // is still wanted (a search cannot be stopped once begun, and the next key waits for it).
    const terms = [words.join(" "), ...phrases, ...telling].filter(Boolean);
    await Promise.all(terms.map((t) => this.pagefind.preload(t, { filters: { ...base, kind: { any: KINDS } } })));
    const find = (term, filters) => {
      if (stale()) throw STALE;
      return this.find(term, filters);
    };
    // Searches that decide which results there are, split by kind; those that only sort them out, not split.
    const per = async (term) => {
      const out = [];
      for (const g of groups) out.push(await find(term, { ...base, kind: { any: g.kinds } }));
      return out;
    };
    const one = async (term) => {
      const found = await find(term, { ...base, kind: { any: groups.flatMap((g) => g.kinds) } });
      return groups.map(() => found);
    };
    const each = async (list, search) => {
      const out = [];
      for (const item of list) out.push(await search(item));
      return out;
    };
    const all = words.length ? await per(words.join(" ")) : null;
    const required = await each(phrases, (p) => per(`"${p}"`));
    const requiredWords = await each(phrases, (p) => per(p)); // BM25 scores for the phrases' words
    const cheapPhrase = telling.length || (all && sizeOf(all) <= PHRASE_LIMIT);
    const alone = words.length === 1 && !phrases.length; // one word: its search is the search for all words
    const content = groups.some((g) => !g.help) ? (found) => found.reduce((n, m, g) => n + (groups[g].help ? 0 : m.size), 0)
      : sizeOf; // (help pages only, as chosen: they count)
    const loose = await each(telling, (t) => (alone && content(all) ? all : this.prefixed(t, plan, per, content)));
    const exact = await each(telling, (t) => one(`"${t}"`));
    const phrase = words.length > 1 && cheapPhrase ? await one(`"${words.join(" ")}"`) : null;
    const items = [];
    groups.forEach((group, g) => {
      const every = all ? all[g] : new Map();
      const ids = phrases.length ? [...required[0][g].keys()].filter((id) => required.every((r) => r[g].has(id)))
        : union([every, ...loose.map((l) => l[g])]);
      for (const id of ids) {
        const hasAll = !words.length || every.has(id);
        const isPhrase = !!phrase && phrase[g].has(id);
        const tier = isPhrase || (phrases.length && hasAll) ? 0 : !hasAll ? 3
          : telling.every((_, i) => exact[i][g].has(id)) ? 1 : 2;
        const scored = [...requiredWords.map((r) => r[g]), ...(hasAll ? [every] : loose.map((l) => l[g]))];
        const score = scored.reduce((sum, m) => sum + (m.get(id)?.score || 0), 0);
        const result = (phrases.length ? required[0][g] : hasAll ? every : loose.find((l) => l[g].has(id))[g]).get(id);
        items.push({
          id, result, tier: TIERS[tier],
          key: [group.help, tier, group.derived, -score],
          marks: () => marksOf(id, g, {
            required, phrase: isPhrase ? phrase : null, every: every.has(id) ? every : null, loose, exact, plan,
          }),
        });
      }
    });
    items.sort((a, b) => compareKeys(a.key, b.key) || (a.id < b.id ? -1 : 1));
    return { items, unknown: telling.filter((_, i) => !sizeOf(loose[i])) };
  }

  /** Counts of every filter value among the results of `plan` (see Filters above); null if not countable or stale. */
  async counts(plan, selected, stale) {
    this.totals = this.totals || await this.counter.filters();
    const terms = countTerms(plan);
    if (!terms) return null;
    const cache = new Map();
    const out = {};
    for (const facet of FACETS) {
      const filters = facetFilters(selected, selected[facet].size ? facet : null);
      const key = JSON.stringify(filters);
      if (!cache.has(key)) cache.set(key, await this.countWith(terms, filters, stale));
      if (!cache.get(key)) return null;
      out[facet] = cache.get(key)[facet] || {};
    }
    return out;
  }

  async countWith(terms, filters, stale) {
    const total = {};
    for (const { term, sign } of terms) {
      if (stale()) return null;
      const found = await this.counter.search(term, { filters });
      for (const [facet, values] of Object.entries(found.filters || {})) {
        total[facet] = total[facet] || {};
        for (const [value, n] of Object.entries(values)) total[facet][value] = (total[facet][value] || 0) + sign * n;
      }
    }
    return total;
  }
}

/** The searches whose counts, added and subtracted, count the result list (null: several quoted phrases). */
function countTerms(plan) {
  if (plan.phrases.length > 1) return null;
  if (plan.phrases.length) return [{ term: `"${plan.phrases[0]}"`, sign: 1 }];
  const forms = plan.telling.map((t) => plan.forms.get(t) || t);
  if (!forms.length) return [{ term: plan.words.join(" "), sign: 1 }];
  if (forms.length > MAX_TELLING_COUNTED) return null;
  return subsets(forms).map(({ items, sign }) => ({ term: items.join(" "), sign }));
}

/** What to mark in a result: phrases as spans; each telling word where Pagefind found it (whole where the result has
 * it whole: Pagefind's exact search gives the first place, the others are its prefix matches spelled the same);
 * common words, among the places the search for all the words found, only whole (see sameWord). */
function marksOf(id, g, { required, phrase, every, loose, exact, plan }) {
  const spans = [...required, ...(phrase ? [phrase] : [])].map((r) => r[g].get(id).words);
  if (phrase) return { spans, words: [], common: null };
  const words = plan.telling.map((word, i) => ({
    word, exact: exact[i][g].get(id)?.words || [], loose: loose[i][g].get(id)?.words || [],
  }));
  const told = new Set(words.flatMap((w) => w.loose));
  const common = every && {
    locations: every.get(id).words.filter((l) => !told.has(l)),
    words: plan.words.filter((w) => !plan.telling.includes(w)),
  };
  return { spans, words, common };
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
