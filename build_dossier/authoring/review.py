"""`build-dossier review`: walk the ledger's proposals in the terminal — accept, reject or skip each.

Accepting a position asks for its quote (the proposed one by default, checked to stand in exactly one
passage), its stance and its relation to each other position of the debate; accepting a new debate
asks for its question, id and topics, then which positions to keep and the same for each. A rejected
proposal leaves the ledger and is remembered under `rejected:`, so `suggest` never makes it again.
Every decision is written at once (an atomic write under the project lock, `ledger.update`), to the
ledger as it is on disk then: quitting, or being interrupted, loses nothing decided.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import click

from ..analyse.claims import find
from ..ids import SLUG_RE
from ..ingest.config import Project
from ..ingest.schema import UNSHOWABLE_RE
from ..model import RELATIONS, TOPICS, Dossier, Passage, Position, Rejection
from .ledger import LedgerText, Reviewed, update
from .proposals import Proposal, pending

WIDTH = 100
"""Quotes are wrapped to this many columns."""
ACTIONS = ("accept", "reject", "skip", "quit")


class _Abbrev(click.Choice):
    """A choice that may be typed as its number or the first letters that tell it apart (`d` is ambiguous, `dis` not)."""

    def convert(self, value, param, ctx):
        text = str(value).strip().lower()
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            return self.choices[int(text) - 1]
        found = [c for c in self.choices if c.startswith(text)] if text else []
        if len(found) == 1 or text in self.choices:
            return text if text in self.choices else found[0]
        self.fail(f"{value!r} is {'ambiguous' if found else 'not one of them'}: type one of "
                  f"{', '.join(self.choices)} (or its number, or its first letters).", param, ctx)


class _Text(click.ParamType):
    """One line of text, required (a stance, a question)."""

    name = "text"

    def convert(self, value, param, ctx):
        text = " ".join(str(value).split())
        if not text or text.upper().startswith("TODO"):
            self.fail("write a few words.", param, ctx)
        if UNSHOWABLE_RE.search(text):
            self.fail("it contains a character no page can show; type it again.", param, ctx)
        return text


class _Quote(click.ParamType):
    """Exact words of one source that stand in exactly one of its passages."""

    name = "quote"

    def __init__(self, passages: tuple[Passage, ...]):
        self.passages = passages

    def convert(self, value, param, ctx):
        quote = " ".join(str(value).split())
        hits = [p for p in self.passages if find(quote, p)]
        if len(hits) != 1:
            where = f"stands in {len(hits)} passages ({', '.join(f'¶{p.n}' for p in hits)}): quote more words" if hits \
                else "is not in this source: copy its words exactly"
            self.fail(f"the quote {where}.", param, ctx)
        return quote


class _Topics(click.ParamType):
    name = "topics"

    def convert(self, value, param, ctx):
        found = tuple(dict.fromkeys(str(value).replace(",", " ").split()))
        wrong = [t for t in found if t not in TOPICS]
        if not found or wrong:
            self.fail(f"use any of {', '.join(TOPICS)}, separated by commas.", param, ctx)
        return found


class _Slug(click.ParamType):
    name = "id"

    def __init__(self, taken: set[str]):
        self.taken = taken

    def convert(self, value, param, ctx):
        slug = str(value).strip()
        if not SLUG_RE.fullmatch(slug):
            self.fail("use lowercase letters, digits and single hyphens, e.g. exercises-integration.", param, ctx)
        if slug in self.taken:
            self.fail(f"another debate is called {slug!r}; choose another id.", param, ctx)
        return slug


@dataclass
class _Session:
    """What a review has decided so far."""

    project: Project
    dossier: Dossier
    accepted: dict[str, list[Position]] = field(default_factory=dict)
    """Debate id -> positions accepted in this session (other proposals for it then relate to them too)."""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("accepted", "rejected", "skipped"), 0))

    def label(self, pos: Position) -> str:
        return f"{self.dossier.label(pos.source)} ¶{pos.n}"

    def passages(self, source: str) -> tuple[Passage, ...]:
        return next(seg.passages for seg in self.dossier.sources if seg.source.id == source)


def _quoted(label: str, text: str, indent: str = "    ") -> str:
    """`label: “text”`, wrapped."""
    return textwrap.fill(f"{label}: “{' '.join(text.split())}”", WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  ")


def _show(proposal: Proposal, session: _Session) -> None:
    claim = proposal.claim
    if proposal.new:
        click.echo(f"New debate proposed: {claim.id} (topics: {', '.join(claim.topics)})")
        for pos in claim.positions:
            click.echo(_quoted(session.label(pos), pos.exact))
        return
    pos = proposal.position
    click.echo(f"{session.dossier.label(pos.source)} proposed for the debate “{' '.join(claim.question.split())}” ({claim.id})")
    click.echo(_quoted(f"proposed: {session.label(pos)}", pos.exact, "  "))
    click.echo("  The debate's positions:")
    for other in claim.positions + tuple(session.accepted.get(claim.id, ())):
        click.echo(_quoted(f"{session.label(other)} — {' '.join(other.stance.split())}", other.exact))


def _settle(pos: Position, others: list[Position], session: _Session) -> Reviewed:
    """Ask for a position's quote, stance and relation to each of `others`."""
    quote = click.prompt("  Quote", default=" ".join(pos.exact.split()), type=_Quote(session.passages(pos.source)))
    stance = click.prompt("  Stance (a few words)", type=_Text())
    relations = []
    for other in others:
        kind = click.prompt(f"  {session.dossier.label(pos.source)} → {session.label(other)} “{' '.join(other.stance.split())}” "
                            f"[{'/'.join(RELATIONS)}]", type=_Abbrev(RELATIONS), show_choices=False)
        relations.append((other.source, kind))
    return Reviewed(pos.source, stance, quote, tuple(relations))


def _reviewed(pos: Position, settled: Reviewed, session: _Session) -> Position:
    """The position as accepted (for the relations of later proposals in the same debate)."""
    passage = next(p for p in session.passages(pos.source) if find(settled.quote, p))
    return Position(pos.source, passage.id, passage.n, settled.stance, settled.quote, find(settled.quote, passage)[0])


def _still_proposed(ledger: LedgerText, proposal: Proposal) -> bool:
    """Whether the ledger on disk still holds the proposal (it may have been edited since the review began)."""
    claim, pos = proposal.claim, proposal.position
    entry = ledger.debate(claim.id) if pos is None else ledger.position(claim.id, pos.source)
    return entry is not None and entry.get("status") == "proposed"


def _write(proposal: Proposal, session: _Session, change) -> bool:
    """Apply `change` to the ledger on disk if it still holds the proposal; say so if not."""
    def apply(ledger: LedgerText) -> bool:
        if not _still_proposed(ledger, proposal):
            return False
        change(ledger)
        return True

    if update(session.project, apply):
        return True
    click.echo("  The ledger no longer holds this proposal (it was edited meanwhile): left as it is.")
    return False


def _accept_join(proposal: Proposal, session: _Session) -> None:
    claim, pos = proposal.claim, proposal.position
    others = list(claim.positions) + session.accepted.get(claim.id, [])
    settled = _settle(pos, others, session)
    if _write(proposal, session, lambda ledger: ledger.accept(claim.id, (settled,))):
        session.accepted.setdefault(claim.id, []).append(_reviewed(pos, settled, session))
        session.counts["accepted"] += 1
        click.echo(f"  Accepted: {session.dossier.label(pos.source)} joins “{' '.join(claim.question.split())}”.")


def _accept_debate(proposal: Proposal, session: _Session) -> None:
    claim = proposal.claim
    taken = {c.id for c in session.dossier.claims + session.dossier.proposed} - {claim.id}
    question = click.prompt("  Question", type=_Text())
    new_id = click.prompt("  Id", default=claim.id, type=_Slug(taken))
    topics = click.prompt("  Topics", default=", ".join(claim.topics), type=_Topics())
    kept: list[Position] = []
    settled: list[Reviewed] = []
    for pos in claim.positions:
        if not click.confirm(f"  Keep {session.label(pos)}?", default=True):
            continue
        settled.append(_settle(pos, kept, session))
        kept.append(_reviewed(pos, settled[-1], session))
    if len(settled) < 2:
        click.echo("  A debate needs two or more positions: the proposal is left for later.")
        session.counts["skipped"] += 1
        return
    if _write(proposal, session, lambda ledger: ledger.accept(claim.id, tuple(settled), question, topics, new_id)):
        session.counts["accepted"] += 1
        click.echo(f"  Accepted: the debate {new_id} “{question}”.")


def _reject(proposal: Proposal, session: _Session) -> None:
    claim, pos = proposal.claim, proposal.position
    rejection = Rejection(claim.id, pos.source) if pos else Rejection(passages=tuple(p.passage for p in claim.positions))
    if _write(proposal, session, lambda ledger: ledger.reject(claim.id, rejection)):
        session.counts["rejected"] += 1
        click.echo("  Rejected: removed from the ledger, and listed under `rejected:` so that it is not proposed again.")


def review(project: Project, dossier: Dossier) -> dict[str, int]:
    """Walk every proposal of the ledger in the terminal; return how many were accepted, rejected, skipped."""
    proposals = pending(dossier)
    session = _Session(project, dossier)
    joins = sum(1 for p in proposals if not p.new)
    click.echo(f"{len(proposals)} proposals to review in {project.rel(project.sources_dir)}/claims.yaml: {joins} "
               f"positions in existing debates, {len(proposals) - joins} new debates.")
    if not proposals:
        click.echo("`build-dossier suggest --write` makes proposals for the sources not yet in a debate.")
        return session.counts
    update(project, lambda ledger: None)  # the project lock is free (no `serve` holds it), before any question
    click.echo("For each: accept, reject (it is never proposed again), skip (decide later) or quit.")
    for k, proposal in enumerate(proposals, 1):
        click.echo(f"\n({k}/{len(proposals)}) ", nl=False)
        _show(proposal, session)
        action = click.prompt("Accept, reject, skip or quit? [a/r/s/q]", type=_Abbrev(ACTIONS), show_choices=False)
        if action == "quit":
            break
        if action == "skip":
            session.counts["skipped"] += 1
        elif action == "reject":
            _reject(proposal, session)
        elif proposal.new:
            _accept_debate(proposal, session)
        else:
            _accept_join(proposal, session)
    left = len(proposals) - sum(session.counts.values())
    click.echo(f"\nReviewed: {session.counts['accepted']} accepted, {session.counts['rejected']} rejected, "
               f"{session.counts['skipped']} skipped" + (f", {left} not reached" if left else "") + ". "
               + ("Run `build-dossier review` again for the rest; " if left + session.counts["skipped"] else "")
               + "`build-dossier build` shows the result.")
    return session.counts
