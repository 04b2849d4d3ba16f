"""Stage 4: tag passages with topics from weighted cue terms, with editor overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file, display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import TOPICS, CueHit, Passage, Segmented, TopicDecision
from ..text import WORD_RE

OVERRIDES_FILE = "topic-overrides.yaml"
OVERRIDE_FIELDS = (
    Field("passage", "text", unique=True, doc="Global passage id, e.g. `lo-cepa-2024-p28`.", example="lo-cepa-2024-p28"),
    Field("topics", "choice-list", choices=TOPICS, min_items=0, noun="a topic",
          fix="use a list of: " + ", ".join(TOPICS) + " (or [] for none).", doc="The passage's topics (a list; `[]` for none)."),
    Field("reason", "text", doc="Why the cues' choice is wrong for this passage."),
)
OVERRIDES_FIELDS = (
    Field("overrides", "records", required=False, default=(), fields=OVERRIDE_FIELDS, noun="override",
          fix="see docs/about/topics.md."),
)
TOPIC_FIELDS = (
    Field("description", "text", doc="What the topic covers, in a line (shown on the site)."),
    Field("threshold", "number", required=False, default=3, minimum=0, example="3", doc="Score a passage must reach."),
    Field("relative", "number", required=False, minimum=0, maximum=1, example="0.5",
          doc="Share of the passage's best topic score it must also reach (default: the file's)."),
    Field("cues", "mapping", key_noun="cue", example="{trade: 3}",
          item=Field("weight", "number", example="1.5", fix="write a number such as 1.5."), doc="Cue term -> weight."),
)
TOPICS_FIELDS = (
    Field("relative", "number", required=False, default=0.0, minimum=0, maximum=1, example="0.5",
          doc="Share of the best topic score a topic must also reach."),
    Field("fallback", "number", required=False, default=0, minimum=0, fix="write e.g. `fallback: 2` (or 0 to switch it off).",
          doc="A passage no topic reaches still gets its best topic(s) if they score this much (0: off)."),
    Field("topics", "mapping", keys=TOPICS, key_noun="topics", item=Field("topic", "record", fields=TOPIC_FIELDS),
          doc="Exactly the topics, each with its description, threshold and cues."),
)


@dataclass(frozen=True)
class Cue:
    """A term that counts towards a topic."""

    topic: str
    term: str
    weight: float
    words: tuple[str, ...]
    """The term's words (split at spaces and hyphens), lowercased unless `exact`."""
    prefix: bool
    """The last word matches any word it starts (`sanction*`)."""
    exact: bool
    """Matched with its case as written (acronyms such as `UN`)."""


@dataclass(frozen=True)
class Tagger:
    """Cue terms and thresholds read from `data/topics.yaml`, indexed by first word."""

    cues: tuple[Cue, ...]
    thresholds: tuple[tuple[str, float], ...]
    relative: tuple[tuple[str, float], ...]
    """Per topic: the share of the passage's best topic score it must also reach."""
    descriptions: tuple[tuple[str, str], ...]
    fallback: float = 0.0
    """A passage no topic reaches the threshold for still gets its best topic(s) if they score this much (0: off)."""

    @cached_property
    def index(self) -> dict[str, tuple[Cue, ...]]:
        """First word (or the first 3 letters of a one-word prefix cue) -> cues."""
        out: dict[str, list[Cue]] = {}
        for cue in self.cues:
            key = cue.words[0][:3] if cue.prefix and len(cue.words) == 1 else cue.words[0]
            out.setdefault(key.lower(), []).append(cue)
        return {k: tuple(v) for k, v in out.items()}


def make_cue(topic: str, term: str, weight: float) -> Cue:
    """A cue from its written form: whole words, `*` for any ending, case kept for acronyms."""
    prefix = term.endswith("*")
    exact = sum(c.isupper() for c in term) >= 2
    words = tuple(w.replace("’", "'") for w in WORD_RE.findall(term))
    return Cue(topic, term, weight, words if exact else tuple(w.lower() for w in words), prefix, exact)


def tokens(text: str) -> tuple[list[str], list[str]]:
    """Words of a text as written and lowercased (apostrophes made straight)."""
    raw = [t.replace("’", "'") for t in WORD_RE.findall(text)]
    return raw, [t.lower() for t in raw]


def _match(cue: Cue, raw: list[str], low: list[str], i: int) -> bool:
    seq = raw if cue.exact else low
    if i + len(cue.words) > len(seq):
        return False
    for k, w in enumerate(cue.words):
        last = k == len(cue.words) - 1
        if not (seq[i + k].startswith(w) if last and cue.prefix else seq[i + k] == w):
            return False
    return True


def count_cues(text: str, tagger: "Tagger") -> dict[Cue, int]:
    """How often each cue occurs in `text` (one pass over its words)."""
    raw, low = tokens(text)
    found: dict[Cue, int] = {}
    for i, word in enumerate(low):
        for key in {word, word[:3]}:
            for cue in tagger.index.get(key, ()):
                if _match(cue, raw, low, i):
                    found[cue] = found.get(cue, 0) + 1
    return found


def parse_tagger(text: str, file: str) -> tuple[Tagger, list[Problem]]:
    """The tagger of a topics file (`TOPICS_FIELDS`), and every problem with it."""
    doc, problems = load_yaml(text, file)
    if doc is None:
        return Tagger((), (), (), ()), problems
    values, problems = validate(doc.data, TOPICS_FIELDS, file, doc, unknown="error")
    topics = values.get("topics") or {}
    specs = [(name, topics[name]) for name in TOPICS if name in topics]
    cues = tuple(make_cue(name, term, float(weight)) for name, spec in specs for term, weight in (spec["cues"] or {}).items())
    default_relative = values.get("relative") or 0.0
    return Tagger(cues, tuple((name, float(spec["threshold"] or 0)) for name, spec in specs),
                  tuple((name, float(default_relative if spec["relative"] is None else spec["relative"])) for name, spec in specs),
                  tuple((name, spec["description"] or "") for name, spec in specs),
                  float(values.get("fallback") or 0)), problems


@lru_cache(maxsize=1)
def load_tagger() -> tuple[Tagger, tuple[Problem, ...]]:
    """The cues shipped with the package, and any problem with the file (reported like a ledger's)."""
    tagger, problems = parse_tagger(*data_file("topics.yaml"))
    return tagger, tuple(problems)


def default_tagger() -> Tagger:
    """The cues shipped with the package; DossierError if the file has a problem."""
    return or_raise(*load_tagger())


def score(passage_text: str, tagger: Tagger) -> tuple[dict[str, float], tuple[CueHit, ...]]:
    """Score every topic for a text; return the scores and the cues that fired."""
    scores = {t: 0.0 for t in TOPICS}
    found = count_cues(passage_text, tagger)
    hits = []
    for cue in tagger.cues:  # file order, so explanations read like the data file
        count = found.get(cue, 0)
        if count:
            scores[cue.topic] += cue.weight * (1 + 0.5 * min(count - 1, 2))
            hits.append(CueHit(cue.topic, cue.term, cue.weight, count))
    return scores, tuple(hits)


def decide(passage: Passage, tagger: Tagger, override: tuple[str, ...] | None) -> TopicDecision:
    """Topics for one passage, with the evidence."""
    scores, hits = score(passage.text, tagger)
    limits = dict(tagger.thresholds)
    best = max(scores.values())
    relative = dict(tagger.relative)
    auto = tuple(t for t in TOPICS if scores[t] >= limits[t] and scores[t] >= relative[t] * best)
    if not auto and tagger.fallback and best >= tagger.fallback:  # a short passage: too few words to pass a threshold
        auto = tuple(t for t in TOPICS if scores[t] == best)
    return TopicDecision(passage.id, tuple((t, round(scores[t], 2)) for t in TOPICS), hits, auto, override)


def load_overrides(sources_dir: Path, root: Path) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """Read `sources/topic-overrides.yaml` (optional, `OVERRIDES_FIELDS`): passage id -> topics."""
    path = sources_dir / OVERRIDES_FILE
    if not path.exists():
        return {}, []
    file = display_path(path, root)
    text, problems = read_text(path, file, "ledger")
    if text is None:
        return {}, problems
    doc, problems = load_yaml(text, file)
    if doc is None or doc.data is None:
        return {}, problems
    values, problems = validate(doc.data, OVERRIDES_FIELDS, file, doc)
    out = {o["passage"]: tuple(t for t in TOPICS if t in o["topics"]) for o in values.get("overrides") or ()
           if o.get("passage") is not None and o.get("topics") is not None}
    return out, problems


def tag(segmented: tuple[Segmented, ...], overrides: dict[str, tuple[str, ...]], overrides_file: str,
        tagger: Tagger | None = None) -> tuple[tuple[Segmented, ...], dict[str, TopicDecision], list[Problem]]:
    """Attach topics to every passage; flag overrides naming passages that do not exist."""
    tagger = tagger or default_tagger()
    decisions: dict[str, TopicDecision] = {}
    out = []
    for seg in segmented:
        passages = []
        for p in seg.passages:
            d = decide(p, tagger, overrides.get(p.id))
            decisions[p.id] = d
            passages.append(replace(p, topics=d.topics))
        out.append(replace(seg, passages=tuple(passages)))
    problems = [Problem(overrides_file, "overrides", f"passage {pid!r} does not exist.",
                        "use a global passage id as shown in dossier.json (e.g. lo-cepa-2024-p3).")
                for pid in sorted(set(overrides) - set(decisions))]
    return tuple(out), decisions, problems


def explain(decision: TopicDecision, tagger: Tagger | None = None) -> str:
    """Human-readable account of a decision, for `build-dossier explain`."""
    tagger = tagger or default_tagger()
    limits = dict(tagger.thresholds)
    lines = [f"{decision.passage}: topics {', '.join(decision.topics) or '(none)'}"]
    if decision.override is not None:
        lines.append(f"  overridden by the ledger (cues alone chose: {', '.join(decision.auto) or '(none)'})")
    best = max(v for _, v in decision.scores)
    relative = dict(tagger.relative)
    for topic, value in decision.scores:
        mark = "yes" if topic in decision.auto else "no "
        lines.append(f"  {mark} {topic:<9} score {value:5.2f}, needs {limits[topic]:.2f} "
                     f"and {relative[topic]:g} x best {best:.2f} = {relative[topic] * best:.2f}"
                     + (" (fallback: best topic)" if topic in decision.auto and value < limits[topic] else ""))
        for hit in decision.hits:
            if hit.topic == topic:
                lines.append(f"        {hit.cue!r} x{hit.count} (weight {hit.weight:g})")
    return "\n".join(lines)
