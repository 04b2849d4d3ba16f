"""Debates as they appear on other pages: the lines under a passage, and lists of debates with their counts."""

from __future__ import annotations

from urllib.parse import urlencode

from ..model import RELATIONS, Claim, Dossier, Passage, Position
from ..text import inert
from .addresses import DEBATES_INDEX, debate_page, href, link
from .previews import Previews
from .templates import ours

LABELS = {"agrees": "agrees", "disputes": "disputes", "qualifies": "qualifies", "qualified-by": "qualified by",
          "differs-in-figures": "differs in figures"}
DIRECTED = ("agrees", "disputes", "qualifies", "qualified-by", "differs-in-figures")
"""The relations as read from one position towards another (`qualifies` read backwards is `qualified-by`)."""
CONTESTED = {"disputes": 2.0, "differs-in-figures": 1.5, "qualifies": 1.0, "agrees": 0.0}
"""How much each kind of relation makes a debate contested (for the home page's ranking)."""


def contested(claim: Claim) -> float:
    return sum(CONTESTED[r.kind] for r in claim.relations)


def pairs(claims) -> dict[str, dict[str, dict[str, list[Claim]]]]:
    """source -> other source -> relation as read from the source (`DIRECTED`) -> the debates where it holds, in order."""
    out: dict[str, dict[str, dict[str, list[Claim]]]] = {}
    for claim in claims:
        for r in claim.directed():
            out.setdefault(r.source, {}).setdefault(r.other, {}).setdefault(r.kind, []).append(claim)
    return out


def filtered(start: str, **terms: str) -> str:
    """A link from `start` to the debates index's table filtered by `terms` (topic, author, relation, with)."""
    return href(start, DEBATES_INDEX.path, "debate-list", urlencode({k: v for k, v in terms.items() if v}))


def counts(claim: Claim) -> str:
    """`2 disputes · 1 agrees` — the pairs of positions by relation."""
    parts = [f"{claim.count(k)} {LABELS[k]}" for k in RELATIONS if claim.count(k)]
    return " · ".join(parts) or "no relations"


def passage_debates(p: Passage, claims: tuple[Claim, ...], labels: dict[str, str], pv: Previews) -> str:
    """Lines under a passage (on the page of `pv`): each debate it joins, with links to the other authors' passages."""
    out, page = [], pv.page
    for claim in claims:
        if not any(pos.passage == p.id for pos in claim.positions):
            continue
        links = []
        for r in claim.directed():
            if r.source != p.source:
                continue
            other = claim.position(r.other)
            links.append(f"{LABELS[r.kind]} — " + pv.link(f"{inert(labels[other.source])} ¶{other.n}", other.passage,
                                                          LABELS[r.kind]))
        out.append(f"**Debate:** [{inert(claim.question)}]({link(page, debate_page(claim.id))}) · " + " · ".join(links)
                   + '\n{: .passage-debate data-search-exclude="" }\n')
    return "\n".join(out)


def debate_list(claims: list[Claim], page: str) -> str:
    """A Markdown list of debates with their counts, for `page`."""
    return "\n".join(f"- [{inert(c.question)}]({link(page, debate_page(c.id))}) — {counts(c)}" for c in claims) + "\n"


def most_contested(claims: list[Claim] | tuple[Claim, ...], n: int = 6) -> list[Claim]:
    """The `n` most contested of `claims`, most contested first."""
    return sorted(claims, key=lambda c: (-contested(c), c.id))[:n]


# Proposals (`status: proposed`, from `suggest --write`): shown apart from the reviewed debates, never counted.
PROPOSED = "Proposed — not reviewed"
PROPOSAL_NOTE = ("Put forward by `build-dossier suggest` for similar wording, and not reviewed yet: no stance or "
                 "relation is settled, and it is counted nowhere.")


def title(claim: Claim, labels: dict[str, str]) -> str:
    """A debate's question; for a proposed debate without one yet, its positions (`Proposed debate: Marsh ¶9 · Volkova ¶4`)."""
    if claim.question:
        return claim.question
    return "Proposed debate: " + " · ".join(f"{labels.get(pos.source, pos.source)} ¶{pos.n}" for pos in claim.positions)


def proposals_by_passage(dossier: Dossier) -> dict[str, dict[str, tuple[Claim, list[Position]]]]:
    """Passage id -> debate id -> (debate, the positions a proposal links the passage to), both ways."""
    out: dict[str, dict[str, tuple[Claim, list[Position]]]] = {}

    def add(pos: Position, claim: Claim, others) -> None:
        out.setdefault(pos.passage, {}).setdefault(claim.id, (claim, []))[1].extend(others)

    for claim in dossier.claims:
        for proposal in claim.proposed:
            add(proposal, claim, claim.positions)
            for pos in claim.positions:
                add(pos, claim, (proposal,))
    for claim in dossier.proposed:
        for pos in claim.positions:
            add(pos, claim, (other for other in claim.positions if other.source != pos.source))
    return out


def passage_proposals(found: dict[str, tuple[Claim, list[Position]]], labels: dict[str, str], pv: Previews) -> str:
    """Lines under a passage (on the page of `pv`) for the proposals it takes part in (`found`: `proposals_by_passage`)."""
    out, page = [], pv.page
    for claim, others in found.values():
        links = " · ".join(pv.link(f"{inert(labels[pos.source])} ¶{pos.n}", pos.passage, "proposed") for pos in others)
        out.append(f"**{PROPOSED}:** [{inert(title(claim, labels))}]({link(page, debate_page(claim.id))}) · {links}"
                   '\n{: .passage-debate .proposed data-search-exclude="" }\n')
    return "\n".join(out)


DISAGREE = ("disputes", "differs-in-figures", "qualifies", "qualified-by")
"""The relations a source page's summary counts as disagreeing (then `agrees`, for the measure of it)."""
SUMMARY_AUTHORS = 12
SUMMARY_DEBATES = 5
"""A source page's summary names at most this many other authors, and this many debates per relation."""


def disagreements(source: str, found: dict[str, dict[str, list[Claim]]], dossier: Dossier, page: str) -> str:
    """Under a source's citation: where its author disagrees with each other author, most disagreement first, linked.

    `found`: the source's relations (`pairs(…)[source]`). Each count opens the debates index filtered to it; a
    disputes line names its first debates too.
    """
    if not found:
        return ""
    weight = {other: sum(len(kinds.get(k, ())) * CONTESTED.get(k, 1.0) for k in DISAGREE) for other, kinds in found.items()}
    others = sorted(found, key=lambda o: (-weight[o], dossier.label(o).lower()))
    me = inert(dossier.label(source))
    lines = []
    for other in others[:SUMMARY_AUTHORS]:
        kinds, them = found[other], inert(dossier.label(other))
        parts = []
        for kind in DISAGREE + ("agrees",):
            claims = kinds.get(kind, [])
            if not claims:
                continue
            target = ours(filtered(page, author=source, relation=kind, **{"with": other}))
            part = f'{LABELS[kind]} in <a href="{target}">{len(claims)} debate{"s" if len(claims) > 1 else ""}</a>'
            if kind == "disputes":
                named = [f"[{inert(c.question)}]({link(page, debate_page(c.id))})" for c in claims[:SUMMARY_DEBATES]]
                part += " (" + "; ".join(named) + ("; …" if len(claims) > SUMMARY_DEBATES else "") + ")"
            parts.append(part)
        lines.append(f"- **{them}**: " + " · ".join(parts))
    if len(others) > SUMMARY_AUTHORS:
        lines.append(f'- and {len(others) - SUMMARY_AUTHORS} other authors: '
                     f'<a href="{ours(filtered(page, author=source))}">every debate {me} takes part in</a>')
    return ('<div class="source-disagreements" markdown data-search-exclude="">\n\n'
            f"**Where {me} stands against the other authors** (the relations of {me}'s positions towards theirs):\n\n"
            + "\n".join(lines) + "\n\n</div>\n")
