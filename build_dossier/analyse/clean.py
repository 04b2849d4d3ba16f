"""Stage 2: remove web-page chrome, by the rules in `data/chrome.yaml`, and report it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Problem, or_raise
from ..ingest.readfile import data_file
from ..ingest.schema import Field, validate
from ..ingest.yamlio import load_yaml
from ..model import Cleaned, Line, Removal, Source
from ..text import TERMINAL, content_words, sentences

KINDS = ("line", "cut-to-end", "list-after", "caption", "title", "pull-quote")
NEEDS_PATTERN = ("line", "cut-to-end", "list-after")


def _regex_problem(text: str) -> tuple[str, str] | None:
    """Why `text` is not a regular expression, or None."""
    try:
        re.compile(text)
    except re.error as exc:
        return f"invalid regex: {exc}.", "fix the pattern."
    return None


RULE_FIELDS = (
    Field("id", "slug", unique=True, doc="Rule id, shown in the cleaning report."),
    Field("kind", "choice", choices=KINDS, doc="What the rule removes."),
    Field("reason", "text", doc="Why these lines are chrome."),
    Field("pattern", "text", required=False, check=_regex_problem, doc="Regex a whole line must match."),
    Field("credit", "text", required=False, check=_regex_problem, doc="Regex for a photo credit line."),
    Field("max_words", "integer", required=False, default=4, minimum=1, doc="Word limit."),
    Field("overlap", "number", required=False, default=0.7, minimum=0, maximum=1, doc="Share of words found elsewhere."),
    Field("head_lines", "integer", required=False, minimum=1, doc="Only within the first N non-blank lines."),
)
RULES_FIELDS = (
    Field("rules", "records", fields=RULE_FIELDS, noun="rule", fix="see the comment at the top of the file."),
)


@dataclass(frozen=True)
class Rule:
    """One chrome rule from the data file."""

    id: str
    kind: str
    reason: str
    pattern: re.Pattern | None
    credit: re.Pattern | None
    max_words: int
    overlap: float
    head_lines: int | None


def parse_rules(text: str, file: str) -> tuple[tuple[Rule, ...], list[Problem]]:
    """The rules of a chrome rules file (`RULES_FIELDS`), and every problem with it."""
    doc, problems = load_yaml(text, file)
    if doc is None:
        return (), problems
    values, problems = validate(doc.data, RULES_FIELDS, file, doc, unknown="error")
    rules: list[Rule] = []
    for i, rule in enumerate(values.get("rules") or ()):
        if rule.get("kind") in NEEDS_PATTERN and rule.get("pattern") is None and f"rules[{i}].pattern" not in doc.lines:
            problems.append(Problem(file, f"rules[{i}].pattern", "this kind of rule needs a pattern.",
                                    "add `pattern: …`.", doc.line(f"rules[{i}]")))
        elif not any(p.key == f"rules[{i}]" or p.key.startswith(f"rules[{i}].") for p in problems):
            rules.append(Rule(rule["id"], rule["kind"], rule["reason"],
                              re.compile(rule["pattern"]) if rule.get("pattern") else None,
                              re.compile(rule["credit"]) if rule.get("credit") else None,
                              rule["max_words"], float(rule["overlap"]), rule["head_lines"]))
    return tuple(rules), problems


@lru_cache(maxsize=1)
def load_rules() -> tuple[tuple[Rule, ...], tuple[Problem, ...]]:
    """The rules shipped with the package, and any problem with the file (reported like a ledger's)."""
    rules, problems = parse_rules(*data_file("chrome.yaml"))
    return rules, tuple(problems)


def default_rules() -> tuple[Rule, ...]:
    """The rules shipped with the package; DossierError if the file has a problem."""
    return or_raise(*load_rules())


def _is_short_link(text: str, max_words: int) -> bool:
    return len(text.split()) <= max_words and not text.endswith(TERMINAL)


def _is_bullet(text: str) -> bool:
    return bool(re.match(r"^(?:[-*+•·▪–]|\d{1,3}[.)])\s", text))


def _pull_quote(i: int, texts: list[str], removed: dict[int, str], rule: Rule, longest: list[tuple[int, int]],
                parts: dict[int, list[set[str]]]) -> bool:
    """True if line i is one sentence that restates a sentence found in another line (not removed).

    `longest` holds (word count, line) for every line, most words first: only a line of at least twice as many words
    is compared, and no other is visited. `parts` caches each line's sentences' content words, filled as lines are
    asked: a line is split once, not once per comparison.
    """
    text = texts[i]
    if not text or _is_bullet(text) or not text.endswith(TERMINAL) or len(sentences(text)) != 1:
        return False
    size = len(text.split())
    if not 6 <= size <= rule.max_words:
        return False
    mine = content_words(text)
    for count, j in longest:
        if count < 2 * size:
            break
        if j == i or j in removed:
            continue
        if j not in parts:
            parts[j] = [content_words(sentence) for sentence in sentences(texts[j])]
        if any(len(mine & theirs) >= rule.overlap * len(mine) for theirs in parts[j]):
            return True
    return False


def clean(source: Source, rules: tuple[Rule, ...] | None = None) -> Cleaned:
    """Mark the chrome lines of `source.body`; keep every other line as it is."""
    rules = default_rules() if rules is None else rules
    raw = source.body.split("\n")
    texts = [line.strip() for line in raw]
    removed: dict[int, str] = {}
    nonblank = [i for i, t in enumerate(texts) if t]
    rank = {i: r for r, i in enumerate(nonblank)}
    title = (source.title or "").strip()
    longest = sorted(((len(texts[i].split()), i) for i in nonblank), key=lambda c: -c[0])  # for pull quotes
    split: dict[int, list[set[str]]] = {}  # line -> its sentences' content words (pull quotes)

    def live(i: int, rule: Rule) -> bool:
        if i in removed or not texts[i]:
            return False
        return rule.head_lines is None or rank[i] < rule.head_lines

    for rule in rules:
        for i in nonblank:
            if not live(i, rule):
                continue
            text = texts[i]
            if rule.kind == "line" and rule.pattern.fullmatch(text):
                removed[i] = rule.id
            elif rule.kind == "cut-to-end" and rule.pattern.fullmatch(text):
                for j in range(i, len(texts)):
                    if texts[j] and j not in removed:
                        removed[j] = rule.id
                break
            elif rule.kind == "list-after" and rule.pattern.fullmatch(text):
                removed[i] = rule.id
                for j in nonblank[rank[i] + 1:]:
                    if j in removed or not _is_short_link(texts[j], rule.max_words):
                        break
                    removed[j] = rule.id
            elif rule.kind == "title" and title and text in (title, title + "."):
                removed[i] = rule.id
            elif rule.kind == "caption":
                later = nonblank[rank[i] + 1] if rank[i] + 1 < len(nonblank) else None
                if later is None or later in removed or len(text.split()) > rule.max_words:
                    continue
                twin = texts[later]
                if twin == text or (twin.startswith(text + " ") and rule.credit and rule.credit.fullmatch(twin[len(text) + 1:])):
                    removed[i] = removed[later] = rule.id
                    after = nonblank[rank[later] + 1] if rank[later] + 1 < len(nonblank) else None
                    if (twin == text and after is not None and rule.credit
                            and _is_short_link(texts[after], 12) and rule.credit.fullmatch(texts[after])):
                        removed[after] = rule.id
            elif rule.kind == "pull-quote" and _pull_quote(i, texts, removed, rule, longest, split):
                removed[i] = rule.id

    lines: list[Line | None] = []
    removals: list[Removal] = []
    offset = 0
    for i, line in enumerate(raw):
        number = source.body_line + i
        if i in removed:
            removals.append(Removal(number, texts[i], removed[i]))
            lines.append(None)
        elif not texts[i]:
            lines.append(None)
        else:
            lead = len(line) - len(line.lstrip())
            start = offset + lead
            end = start + len(texts[i])
            lines.append(Line(start, end, source.body[start:end], number))
        offset += len(line) + 1
    return Cleaned(source, tuple(lines), tuple(removals))
