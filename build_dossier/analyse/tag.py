"""Stage 4: tag passages with topics from weighted cue terms, with editor overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file, display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import TOPICS, CueHit, Passage, Segmented, TopicDecision
from .cues import Cue, cue_counts, forget_words, index_cues, make_cue, words_of

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
          doc="Share of the passage's best subject score it must also reach (default: the file's)."),
    Field("subject", "bool", required=False, default=True, fix="write `subject: false` for a topic that is a way of speaking, or leave it out.",
          doc="Whether the topic is what a passage is about; `false` (outlook: how it speaks) is decided by its threshold alone."),
    Field("cues", "mapping", key_noun="cue", example="{trade: 3}",
          item=Field("weight", "number", example="1.5", fix="write a number such as 1.5."), doc="Cue term -> weight."),
)
TOPICS_FIELDS = (
    Field("relative", "number", required=False, default=0.0, minimum=0, maximum=1, example="0.5",
          doc="Share of the best subject score a subject must also reach."),
    Field("fallback", "number", required=False, default=0, minimum=0, fix="write e.g. `fallback: 2` (or 0 to switch it off).",
          doc="A passage no topic reaches still gets its best subject(s) if they score this much (0: off)."),
    Field("full_length", "number", required=False, default=0, minimum=0, fix="write e.g. `full_length: 60` (or 0 to switch it off).",
          doc="Words from which a passage needs the full thresholds; a shorter one needs sqrt(words / full_length) of them."),
    Field("topics", "mapping", keys=TOPICS, key_noun="topics", item=Field("topic", "record", fields=TOPIC_FIELDS),
          doc="Exactly the topics, each with its description, threshold and cues."),
)


@dataclass(frozen=True)
class Tagger:
    """Cue terms and thresholds read from `data/topics.yaml`, indexed by first word."""

    cues: tuple[Cue, ...]
    thresholds: tuple[tuple[str, float], ...]
    relative: tuple[tuple[str, float], ...]
    """Per topic: the share of the passage's best subject score it must also reach (0 for a topic that is no subject)."""
    descriptions: tuple[tuple[str, str], ...]
    fallback: float = 0.0
    """A passage no topic reaches the threshold for still gets its best subject(s) if they score this much (0: off)."""
    full_length: float = 0.0
    """Words from which a passage needs the full thresholds; a shorter one needs sqrt(words / full_length) of them (0: off)."""
    subjects: tuple[str, ...] = TOPICS
    """The topics a passage is about, compared with each other; the others (outlook) stand alone."""

    @cached_property
    def index(self) -> dict[str, tuple[Cue, ...]]:
        """Cues by the key of their first word."""
        return index_cues(self.cues)

    @cached_property
    def order(self) -> dict[int, int]:
        """Each cue's place in the file, by the identity of the cue in `cues` (the index holds those): hashing a
        cue, a dataclass, for every cue found costs more than the scoring (cues are unique: a topic lists a term once)."""
        return {id(cue): i for i, cue in enumerate(self.cues)}


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
    subjects = tuple(name for name, spec in specs if spec["subject"] is not False)
    problems += [Problem(file, f"topics.{name}.relative", "a topic with `subject: false` is never compared with the others.",
                         "remove `relative` (or `subject: false`).", doc.line(f"topics.{name}.relative"))
                 for name, spec in specs if name not in subjects and spec["relative"] is not None]
    relative = tuple((name, 0.0 if name not in subjects else float(default_relative if spec["relative"] is None else spec["relative"]))
                     for name, spec in specs)
    return Tagger(cues, tuple((name, float(spec["threshold"] or 0)) for name, spec in specs), relative,
                  tuple((name, spec["description"] or "") for name, spec in specs),
                  float(values.get("fallback") or 0), float(values.get("full_length") or 0), subjects), problems


@lru_cache(maxsize=1)
def load_tagger() -> tuple[Tagger, tuple[Problem, ...]]:
    """The cues shipped with the package, and any problem with the file (reported like a ledger's)."""
    tagger, problems = parse_tagger(*data_file("topics.yaml"))
    return tagger, tuple(problems)


def default_tagger() -> Tagger:
    """The cues shipped with the package; DossierError if the file has a problem."""
    return or_raise(*load_tagger())


def contribution(hit: CueHit) -> float:
    """What a cue adds to its topic's score: its weight, and half again for each repeat, at most twice."""
    return hit.weight * (1 + 0.5 * min(hit.count - 1, 2))


_hit = lru_cache(maxsize=1 << 16)(CueHit)
"""A cue hit, one object for each distinct one: the same few thousand fire across all passages (two million hits at
3,000 sources, a tenth of a gigabyte as objects of their own)."""


def score(passage_text: str, tagger: Tagger, lead_in: str = "", words: list[str] | None = None,
          ) -> tuple[dict[str, float], tuple[CueHit, ...]]:
    """Score every topic for a text (whose `words_of` may be given) and the lead-in it completes; return the scores
    and the cues that fired."""
    scores = {t: 0.0 for t in TOPICS}
    hits = []
    for text, in_lead, raw in ((passage_text, False, words), (lead_in, True, None)):
        found = cue_counts(text, tagger.index, raw) if text else []
        # file order, so explanations read like the data file
        for cue, count in sorted(found, key=lambda found: tagger.order[id(found[0])]):
            hit = _hit(cue.topic, cue.term, cue.weight, count, in_lead)
            scores[cue.topic] += contribution(hit)
            hits.append(hit)
    return scores, tuple(hits)


def length_factor(words: int, tagger: Tagger) -> float:
    """How much of each threshold a passage of so many words must reach: less for a short one, which has few words to
    hold cues."""
    if not tagger.full_length:
        return 1.0
    return min(1.0, (words / tagger.full_length) ** 0.5)


def best_subject(scores: dict[str, float], tagger: Tagger) -> float:
    """The highest score of a subject: what `relative` and the fallback measure against."""
    return max((scores[t] for t in tagger.subjects), default=0.0)


def decide(passage: Passage, tagger: Tagger, override: tuple[str, ...] | None, lead_in: str = "") -> TopicDecision:
    """Topics for one passage (a list item read with its lead-in), with the evidence."""
    words = words_of(passage.text)  # read once: the cues and the length both count them
    scores, hits = score(passage.text, tagger, lead_in, words)
    factor = length_factor(len(words), tagger)
    limits = {t: limit * factor for t, limit in tagger.thresholds}
    best = best_subject(scores, tagger)
    relative = dict(tagger.relative)
    auto = tuple(t for t in TOPICS if scores[t] >= limits[t] and scores[t] >= relative[t] * best)
    if not auto and tagger.fallback and best >= tagger.fallback:  # a short passage: too few words to pass a threshold
        auto = tuple(t for t in tagger.subjects if scores[t] == best)
    return TopicDecision(passage.id, tuple((t, round(scores[t], 2)) for t in TOPICS), hits, auto, override,
                         factor, lead_in)


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


def lead_ins(passages: tuple[Passage, ...]) -> list[str]:
    """For each passage, the lead-in it completes: a list item's is the paragraph just before the list if that ends with a colon."""
    out, lead = [], None
    for p in passages:
        if p.kind != "bullet":
            lead = p if p.text.rstrip().endswith(":") else None
        out.append(lead.text if p.kind == "bullet" and lead and lead.section == p.section else "")
    return out


def tag(segmented: tuple[Segmented, ...], overrides: dict[str, tuple[str, ...]], overrides_file: str,
        tagger: Tagger | None = None, cached: Callable | None = None,
        ) -> tuple[tuple[Segmented, ...], dict[str, TopicDecision], list[Problem]]:
    """Attach topics to every passage; flag overrides naming passages that do not exist.

    `cached(key, make)`, if given, may return a decision made before from the same passage, lead-in, override and
    tagger (`serve` keeps them between rebuilds: an edit re-tags only the passages it changed).
    """
    tagger = tagger or default_tagger()
    cached = cached or (lambda _key, make: make())
    decisions: dict[str, TopicDecision] = {}
    out = []
    for seg in segmented:
        passages = []
        for p, lead_in in zip(seg.passages, lead_ins(seg.passages)):
            override = overrides.get(p.id)
            # What `decide` reads of the passage; the tagger by identity (hashing its cues costs more than deciding).
            d = cached(("tag", p.id, p.text, lead_in, override, id(tagger)),
                       lambda p=p, override=override, lead_in=lead_in: decide(p, tagger, override, lead_in))
            decisions[p.id] = d
            passages.append(replace(p, topics=d.topics))
        out.append(replace(seg, passages=tuple(passages)))
    forget_words()
    problems = [Problem(overrides_file, "overrides", f"passage {pid!r} does not exist.",
                        "use a global passage id as shown in dossier.json (e.g. lo-cepa-2024-p3).")
                for pid in sorted(set(overrides) - set(decisions))]
    return tuple(out), decisions, problems


def explain(decision: TopicDecision, tagger: Tagger | None = None) -> str:
    """Human-readable account of a decision, for `build-dossier explain`: every cue with its contribution."""
    tagger = tagger or default_tagger()
    limits = {t: limit * decision.length_factor for t, limit in tagger.thresholds}
    lines = [f"{decision.passage}: topics {', '.join(decision.topics) or '(none)'}"]
    if decision.override is not None:
        lines.append(f"  overridden by the ledger (cues alone chose: {', '.join(decision.auto) or '(none)'})")
    if decision.length_factor < 1:
        lines.append(f"  short passage: thresholds x {decision.length_factor:.2f}")
    if decision.lead_in:
        lines.append(f"  a list item, read with its lead-in {decision.lead_in!r}")
    best = best_subject(dict(decision.scores), tagger)
    relative = dict(tagger.relative)
    for topic, value in decision.scores:
        mark = "yes" if topic in decision.auto else "no "
        against = (f" and {relative[topic]:g} x best {best:.2f} = {relative[topic] * best:.2f}" if topic in tagger.subjects
                   else ", whatever the subjects score")
        lines.append(f"  {mark} {topic:<9} score {value:5.2f}, needs {limits[topic]:.2f}{against}"
                     + (" (fallback: best subject)" if topic in decision.auto and value < limits[topic] else ""))
        for hit in decision.hits:
            if hit.topic == topic:
                where = ", in the lead-in" if hit.in_lead_in else ""
                lines.append(f"        {hit.cue!r} x{hit.count} (weight {hit.weight:g}{where}): {contribution(hit):+g}")
    return "\n".join(lines)
