"""Stage 4: tag passages with topics from weighted cue terms, with editor overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from ..errors import DossierError, Problem
from ..ingest.readfile import display_path, read_text
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import TOPICS, CueHit, Passage, Segmented, TopicDecision
from .cues import Cue, Words, count_cues, index_cues, make_cue

OVERRIDES_FILE = "topic-overrides.yaml"
OVERRIDE_FIELDS = (
    Field("passage", "text", doc="Global passage id, e.g. `lo-cepa-2024-p28`.", example="lo-cepa-2024-p28"),
    Field("topics", "any", doc="The passage's topics (a list; `[]` for none)."),
    Field("reason", "text", doc="Why the cues' choice is wrong for this passage."),
)


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
    full_length: float = 0.0
    """Words from which a passage needs the full thresholds; a shorter one needs sqrt(words / full_length) of them (0: off)."""

    @cached_property
    def index(self) -> dict[str, tuple[Cue, ...]]:
        """Cues by the key of their first word."""
        return index_cues(self.cues)


def parse_tagger(text: str, file: str) -> Tagger:
    """Validate the topics file; raise DossierError listing every problem."""
    doc, problems = load_yaml(text, file)
    data = doc.data if doc else None
    topics = data.get("topics") if isinstance(data, dict) else None
    if doc and (not isinstance(topics, dict) or set(topics) != set(TOPICS)):
        problems.append(Problem(file, "topics", "expected a mapping with exactly the topics " + ", ".join(TOPICS) + ".",
                                "add or remove topics to match.", doc.line("topics")))
        topics = topics if isinstance(topics, dict) else {}
    cues, thresholds, relatives, descriptions = [], [], [], []
    default_relative = data.get("relative", 0.0) if isinstance(data, dict) else 0.0
    for name in TOPICS:
        spec = (topics or {}).get(name)
        if not isinstance(spec, dict) or not isinstance(spec.get("cues"), dict):
            continue
        for term, weight in spec["cues"].items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool):
                problems.append(Problem(file, f"topics.{name}.cues.{term}", f"weight {weight!r} is not a number.",
                                        "write a number such as 1.5.", doc.line(f"topics.{name}.cues.{term}")))
                continue
            cues.append(make_cue(name, str(term), float(weight)))
        thresholds.append((name, float(spec.get("threshold", 3))))
        relative = spec.get("relative", default_relative)
        if not isinstance(relative, (int, float)) or not 0 <= relative <= 1:
            problems.append(Problem(file, f"topics.{name}.relative", f"{relative!r} is not a number between 0 and 1.",
                                    "write e.g. `relative: 0.5`.", doc.line(f"topics.{name}")))
            relative = 0
        relatives.append((name, float(relative)))
        descriptions.append((name, str(spec.get("description", ""))))
    numbers = {}
    for key, example in (("fallback", "`fallback: 2`"), ("full_length", "`full_length: 60`")):
        value = data.get(key, 0) if isinstance(data, dict) else 0
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            problems.append(Problem(file, key, f"{value!r} is not a number of at least 0.",
                                    f"write e.g. {example} (or 0 to switch it off).", doc.line(key) if doc else None))
            value = 0
        numbers[key] = float(value)
    if any(p.severity == "error" for p in problems):
        raise DossierError(problems)
    return Tagger(tuple(cues), tuple(thresholds), tuple(relatives), tuple(descriptions), **numbers)


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The cues shipped with the package."""
    text = resources.files("build_dossier").joinpath("data/topics.yaml").read_text(encoding="utf-8")
    return parse_tagger(text, "build_dossier/data/topics.yaml")


def contribution(hit: CueHit) -> float:
    """What a cue adds to its topic's score: its weight, and half again for each repeat, at most twice."""
    return hit.weight * (1 + 0.5 * min(hit.count - 1, 2))


def score(passage_text: str, tagger: Tagger, lead_in: str = "") -> tuple[dict[str, float], tuple[CueHit, ...]]:
    """Score every topic for a text (and the lead-in it completes); return the scores and the cues that fired."""
    scores = {t: 0.0 for t in TOPICS}
    hits = []
    for text, in_lead in ((passage_text, False), (lead_in, True)):
        found = count_cues(text, tagger.index) if text else {}
        for cue in tagger.cues:  # file order, so explanations read like the data file
            count = found.get(cue, 0)
            if count:
                hit = CueHit(cue.topic, cue.term, cue.weight, count, in_lead)
                scores[cue.topic] += contribution(hit)
                hits.append(hit)
    return scores, tuple(hits)


def length_factor(text: str, tagger: Tagger) -> float:
    """How much of each threshold a passage must reach: less for a short one, which has few words to hold cues."""
    if not tagger.full_length:
        return 1.0
    return min(1.0, (len(Words.of(text).raw) / tagger.full_length) ** 0.5)


def decide(passage: Passage, tagger: Tagger, override: tuple[str, ...] | None, lead_in: str = "") -> TopicDecision:
    """Topics for one passage (a list item read with its lead-in), with the evidence."""
    scores, hits = score(passage.text, tagger, lead_in)
    factor = length_factor(passage.text, tagger)
    limits = {t: limit * factor for t, limit in tagger.thresholds}
    best = max(scores.values())
    relative = dict(tagger.relative)
    auto = tuple(t for t in TOPICS if scores[t] >= limits[t] and scores[t] >= relative[t] * best)
    if not auto and tagger.fallback and best >= tagger.fallback:  # a short passage: too few words to pass a threshold
        auto = tuple(t for t in TOPICS if scores[t] == best)
    return TopicDecision(passage.id, tuple((t, round(scores[t], 2)) for t in TOPICS), hits, auto, override,
                         factor, lead_in)


def load_overrides(sources_dir: Path, root: Path) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """Read `sources/topic-overrides.yaml` (optional): passage id -> topics."""
    path = sources_dir / OVERRIDES_FILE
    if not path.exists():
        return {}, []
    file = display_path(path, root)
    text, problems = read_text(path, file, "ledger")
    if text is None:
        return {}, problems
    doc, problems = load_yaml(text, file)
    if doc is None:
        return {}, problems
    items = doc.data.get("overrides") if isinstance(doc.data, dict) else None
    if doc.data is not None and not isinstance(items, list):
        return {}, [Problem(file, "overrides", "expected a list under `overrides`.", "see docs/about/topics.md.")]
    out: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(items or []):
        values, found = validate(item, OVERRIDE_FIELDS, file, doc, f"overrides[{i}]")
        problems += found
        topics = values.get("topics")
        if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
            problems.append(Problem(file, f"overrides[{i}].topics", f"{topics!r} is not a list of topics.",
                                    "use a list of: " + ", ".join(TOPICS) + " (or [] for none).", doc.line(f"overrides[{i}].topics")))
            continue
        if values.get("passage") in out:
            problems.append(Problem(file, f"overrides[{i}].passage", f"passage {values['passage']!r} is overridden twice.",
                                    "keep one entry per passage.", doc.line(f"overrides[{i}].passage")))
        if values.get("passage"):
            out[values["passage"]] = tuple(t for t in TOPICS if t in topics)
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
        tagger: Tagger | None = None) -> tuple[tuple[Segmented, ...], dict[str, TopicDecision], list[Problem]]:
    """Attach topics to every passage; flag overrides naming passages that do not exist."""
    tagger = tagger or default_tagger()
    decisions: dict[str, TopicDecision] = {}
    out = []
    for seg in segmented:
        passages = []
        for p, lead_in in zip(seg.passages, lead_ins(seg.passages)):
            d = decide(p, tagger, overrides.get(p.id), lead_in)
            decisions[p.id] = d
            passages.append(replace(p, topics=d.topics))
        out.append(replace(seg, passages=tuple(passages)))
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
    best = max(v for _, v in decision.scores)
    relative = dict(tagger.relative)
    for topic, value in decision.scores:
        mark = "yes" if topic in decision.auto else "no "
        lines.append(f"  {mark} {topic:<9} score {value:5.2f}, needs {limits[topic]:.2f} "
                     f"and {relative[topic]:g} x best {best:.2f} = {relative[topic] * best:.2f}"
                     + (" (fallback: best topic)" if topic in decision.auto and value < limits[topic] else ""))
        for hit in decision.hits:
            if hit.topic == topic:
                where = ", in the lead-in" if hit.in_lead_in else ""
                lines.append(f"        {hit.cue!r} x{hit.count} (weight {hit.weight:g}{where}): +{contribution(hit):g}")
    return "\n".join(lines)
