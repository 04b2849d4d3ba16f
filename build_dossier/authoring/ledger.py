"""Writing the debates ledger: proposals in, reviewed or rejected proposals out, everything else kept byte for byte.

`sources/claims.yaml` is edited as a round-trip document (ruamel.yaml), which keeps every comment, quote
style and blank line of the entries it does not change. ruamel keeps the blank lines and comments that
follow an entry (`# ---- trade` before the next section) on that entry's last value; appending an entry
after it, or removing it, would leave them in the wrong place, so `_detach_tail` and `_attach_tail`
move them to what is last now. A ledger that ruamel cannot write back unchanged (an unusual layout)
is refused rather than reformatted. The file is replaced in one step — a staged sibling, then a
rename — under the project lock (`update`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from ..analyse.claims import CLAIMS_FILE
from ..errors import DossierError, Problem
from ..ingest.config import Project
from ..model import Rejection
from ..publish import atomic
from ..publish.outputs import writing

T = TypeVar("T")
NEW_LEDGER = "# Debates ledger: one entry per contested question. See docs/about/ledgers.md for the format.\ndebates:\n"
"""What `suggest --write` starts from when there is no ledger yet."""
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 0), (4, 6, 2), (2, 4, 0), (4, 4, 2))
"""Indents (mapping, sequence, offset of the dash) of ledgers as people write them, the documented one first."""
REJECTED_COMMENT = "Proposals turned down in `build-dossier review`: `build-dossier suggest` never makes them again."


@dataclass(frozen=True)
class Reviewed:
    """An accepted position, as the editor settled it."""

    source: str
    stance: str
    quote: str
    relations: tuple[tuple[str, str], ...] = ()
    """(other source id, relation) for each earlier position it relates to."""


def _q(text: str) -> DoubleQuotedScalarString:
    """Text written in double quotes, as the ledger writes stances, questions and quotes."""
    return DoubleQuotedScalarString(" ".join(text.split()))


def _flow(items) -> CommentedSeq:
    """A list written on one line (`[trade, military]`)."""
    seq = CommentedSeq(str(item) for item in items)
    seq.fa.set_flow_style()
    return seq


def _last(node) -> tuple[CommentedMap | CommentedSeq, object] | None:
    """(collection, key) of the last entry of a non-empty collection; None for anything else."""
    if isinstance(node, CommentedMap) and len(node):
        return node, list(node)[-1]
    if isinstance(node, CommentedSeq) and len(node):
        return node, len(node) - 1
    return None


def _slot(collection) -> int:
    """Where ruamel keeps the comment after an entry: a mapping's value, a sequence's item."""
    return 2 if isinstance(collection, CommentedMap) else 0


def _token(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def _split(text: str) -> tuple[str, str]:
    """A comment after a value as (what stays on its line, what follows the line), the second from a line end."""
    if text.startswith("#"):  # an end-of-line comment, then maybe more lines
        first, _, rest = text.partition("\n")
        return first + "\n", ("\n" + rest) if rest else ""
    return "", text


def _detach_tail(node) -> str:
    """Remove and return the blank lines and comments that follow the last value under `node` (from a line end)."""
    found, seen = [], set()
    while (last := _last(node)) is not None:
        collection, key = last
        for holder, slot in ((collection.ca.items.get(key), _slot(collection)),
                             (getattr(collection[key], "ca", None) and collection[key].ca.comment, 0)):
            token = holder[slot] if holder else None
            if token is None or id(token) in seen:  # a flow collection's comment is held in both places
                continue
            seen.add(id(token))
            keep, move = _split(token.value)
            if keep:
                token.value = keep  # the same token: an end-of-line comment keeps its column
            else:
                holder[slot] = None
            found.append(move)
        node = collection[key]
    return "".join(found)


def _attach_tail(node, text: str) -> None:
    """Put `text` (from `_detach_tail`) after the last value under `node`."""
    if not text:
        return
    last = _last(node)
    while last is not None and _last(last[0][last[1]]) is not None and not _is_flow(last[0][last[1]]):
        last = _last(last[0][last[1]])
    if last is None:
        raise ValueError("an empty collection has no last value")
    collection, key = last
    entry = collection.ca.items.setdefault(key, [None, None, None, None] if _slot(collection) == 2 else [None, None])
    held = entry[_slot(collection)]
    if held is None:
        entry[_slot(collection)] = _token(text)
    else:  # after an end-of-line comment, which keeps its column
        held.value = held.value.rstrip("\n") + text


def _is_flow(node) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and node.fa.flow_style()


def _append(seq: CommentedSeq, item, gap: str = "") -> None:
    """Append `item` to `seq`, after a `gap` (`\\n\\n`: a blank line); what followed the old last item follows it."""
    tail = _detach_tail(seq) if len(seq) else ""
    if gap and len(seq):
        _attach_tail(seq, gap)
    seq.append(item)
    _attach_tail(seq, tail)


def _remove(seq: CommentedSeq, index: int) -> None:
    """Remove the mapping at `index`; the blank lines and comments that followed it follow the one before it now."""
    tail = _detach_tail(seq[index])
    if index > 0:
        _detach_tail(seq[index - 1])  # the gap between the two: the removed one's tail takes its place
    del seq[index]
    if index > 0:
        _attach_tail(seq[index - 1], tail)


def _set_last(mapping: CommentedMap, key: str, value) -> None:
    """Add `key` at the end of `mapping`; what followed the old last value follows it."""
    tail = _detach_tail(mapping)
    mapping[key] = value
    _attach_tail(mapping, tail)


def _delete_key(mapping: CommentedMap, key: str) -> None:
    """Remove `key` (not the last one) and its end-of-line comment."""
    mapping.ca.items.pop(key, None)
    del mapping[key]


class LedgerText:
    """The ledger as a round-trip document, with the edits `suggest --write` and `review` make."""

    def __init__(self, text: str | None, file: str):
        self.file = file
        self.text = NEW_LEDGER if text is None else text
        if not any(line.strip() and not line.lstrip().startswith("#") for line in self.text.splitlines()):
            self.text += ("\n" if self.text and not self.text.endswith("\n") else "") + "debates:\n"  # comments only
        for mapping, sequence, offset in LAYOUTS:  # the first that writes the file back unchanged
            self.yaml = YAML()
            self.yaml.preserve_quotes = True
            self.yaml.width = 1 << 30  # never fold a long quote
            self.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
            try:
                self.data = self.yaml.load(self.text)
            except YAMLError as exc:
                raise DossierError([Problem(file, "", f"the ledger is not valid YAML: {' '.join(str(exc).split())}.",
                                            "fix it (`build-dossier check` names the line), then run this again.")]) from None
            if isinstance(self.data, CommentedMap) and self.dump() == self.text:
                return
        raise DossierError([Problem(file, "", "the ledger cannot be written back without changing its layout, so it "
                                    "is left alone.", "print the proposals with `build-dossier suggest` (without --write) "
                                    "and paste them; or indent it as docs/about/ledgers.md does.")])

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def debates(self) -> CommentedSeq:
        if not isinstance(self.data.get("debates"), CommentedSeq):
            self.data["debates"] = CommentedSeq()
        return self.data["debates"]

    def debate(self, debate_id: str) -> CommentedMap | None:
        return next((d for d in self.debates() if isinstance(d, CommentedMap) and d.get("id") == debate_id), None)

    def position(self, debate_id: str, source: str) -> CommentedMap | None:
        debate = self.debate(debate_id)
        positions = debate.get("positions") if debate is not None else None
        return next((p for p in positions or () if isinstance(p, CommentedMap) and p.get("source") == source), None)

    def propose_join(self, debate_id: str, source: str, quote: str, note: str) -> None:
        """A proposed position at the end of an existing debate's positions."""
        position = CommentedMap([("source", str(source)), ("status", "proposed"), ("quote", _q(quote))])
        position.yaml_add_eol_comment(note, "status")
        _append(self.debate(debate_id)["positions"], position)

    def propose_debate(self, debate_id: str, topics: tuple[str, ...], quotes: tuple[tuple[str, str], ...],
                       note: str) -> None:
        """A proposed new debate, after the last one: (source, quote) for each position."""
        positions = CommentedSeq(CommentedMap([("source", str(s)), ("quote", _q(q))]) for s, q in quotes)
        debate = CommentedMap([("id", str(debate_id)), ("status", "proposed"), ("topics", _flow(topics)),
                               ("positions", positions)])
        debate.yaml_add_eol_comment(note, "status")
        _append(self.debates(), debate, "\n\n")

    def accept(self, debate_id: str, settled: tuple[Reviewed, ...], question: str | None = None,
               topics: tuple[str, ...] | None = None, new_id: str | None = None) -> None:
        """Mark proposals reviewed: the positions in `settled` (in a new debate, dropping the others), and the debate."""
        debate = self.debate(debate_id)
        positions = debate["positions"]
        whole = debate.get("status") == "proposed"
        for index in reversed(range(len(positions))):
            if whole and positions[index].get("source") not in {r.source for r in settled}:
                _remove(positions, index)
        for review in settled:
            position = self.position(debate_id, review.source)
            if "status" in position:
                _delete_key(position, "status")
            if "stance" in position:
                position["stance"] = _q(review.stance)
            else:
                position.insert(1, "stance", _q(review.stance))
            position["quote"] = _q(review.quote)
            if review.relations:
                _set_last(position, "relations", CommentedMap((str(other), kind) for other, kind in review.relations))
        if whole:
            _delete_key(debate, "status")
            debate["id"] = str(new_id or debate_id)
            if "question" in debate:
                debate["question"] = _q(question or "")
            else:
                debate.insert(1, "question", _q(question or ""))
            debate["topics"] = _flow(topics or debate["topics"])

    def reject(self, debate_id: str, rejection: Rejection) -> None:
        """Remove a proposal (a proposed position, or a whole proposed debate) and remember it as rejected."""
        if rejection.source:
            positions = self.debate(debate_id)["positions"]
            _remove(positions, next(i for i, p in enumerate(positions) if p.get("source") == rejection.source))
        else:
            debates = self.debates()
            _remove(debates, next(i for i, d in enumerate(debates) if d.get("id") == debate_id))
        entry = (CommentedMap([("debate", str(rejection.debate)), ("source", str(rejection.source))]) if rejection.source
                 else CommentedMap([("passages", _flow(rejection.passages))]))
        if isinstance(self.data.get("rejected"), CommentedSeq) and len(self.data["rejected"]):
            _append(self.data["rejected"], entry)
            return
        tail = _detach_tail(self.data)  # comments at the very end of the file stay there
        if "rejected" not in self.data:
            _attach_tail(self.data, f"\n\n# {REJECTED_COMMENT}\n")
        self.data["rejected"] = CommentedSeq([entry])
        _attach_tail(self.data, tail)


def update(project: Project, change: Callable[[LedgerText], T]) -> T:
    """Apply `change` to the ledger as it is on disk now and write it back in one step, holding the project lock."""
    path = project.sources_dir / CLAIMS_FILE
    file = project.rel(path)
    with writing(project):
        try:
            text = path.read_text(encoding="utf-8") if path.exists() else None
        except (OSError, UnicodeDecodeError) as exc:
            raise DossierError([Problem(file, "", f"cannot read the ledger: {exc}.", "make it a readable UTF-8 file.")]) from None
        ledger = LedgerText(text, file)
        result = change(ledger)
        new = ledger.dump()
        if new != text:
            try:
                staged = atomic.stage_file(path, new.encode("utf-8"))
                try:
                    atomic.commit(staged, path)
                finally:
                    atomic.discard(staged)
            except OSError as exc:
                raise DossierError([Problem(file, "", f"cannot write the ledger: {exc.strerror or exc}; it was left "
                                            "as it was.", "make room on the disk or make sources/ writable, then run "
                                            "this again.")]) from None
    return result
