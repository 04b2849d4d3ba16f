"""Debate pages: one page per debate with the positions side by side.

Ledger and source text reach them only through `text.inert`.
"""

from __future__ import annotations

from ...model import Claim, Dossier, Erratum, Evidence, Passage, Position, Source
from ...text import inert
from ..addresses import DEBATES, debate_page, link, passage_url, permalink, topic_page, url
from ..citations import bibliography_line, cite_box, debate_cite, page_bibliography, short_note
from ..debate_lines import LABELS, PROPOSAL_NOTE, PROPOSED, counts, title
from ..evidence_lines import evidence_section
from ..facets import NOT_INDEXED, search_facets
from ..kind import Context, PageKind
from ..markdown import front_matter
from ..previews import Previews
from ..sic import by_passage, sic_html

UNSEARCHED = 'data-search-exclude=""'
"""Marks what search does not index on a page it indexes: navigation (links to passages, relations) and proposals,
which must never come up as a debate's verified content."""


def _position(pos: Position, claim: Claim, s: Source, labels: dict[str, str], pv: Previews, passage: Passage,
              slips: dict[str, tuple[Erratum, ...]], site_url: str | None) -> list[str]:
    """One author's position: the stance (or that it is a proposal), the exact quote (slips marked [sic]), the passage,
    its citations, the relations."""
    rel = [f"{LABELS[r.kind]} {inert(labels[r.other])}" for r in claim.directed() if r.source == pos.source]
    stance = f"**{inert(pos.stance)}**\n{{: .debate-stance }}\n" if pos.stance else ""
    proposed = claim.status == "proposed" or pos in claim.proposed
    return [
        f'<div class="debate-position{" proposed" if proposed else ""}" markdown>\n',
        f"### {inert(labels[s.id])} {{: #{pos.source} }}\n",
        f"*{PROPOSED}*\n{{: .proposal-badge }}\n" if proposed else "",
        stance,
        f'<blockquote class="debate-quote"><p>{sic_html(pos.exact, slips.get(pos.passage, ()), passage.text)}'
        '</p></blockquote>\n',
        # The link to the passage and the relations name sources: navigation, not text to search.
        pv.link(f"{inert(labels[s.id])} ¶{pos.n}", pos.passage, "proposed" if proposed else "") + f" — {inert(s.display_title)}\n"
        f"{{: {UNSEARCHED} }}\n",
        short_note(s, pos.n),
        cite_box(s, passage, permalink(site_url, passage_url(pos.passage))),
        ("Relations: " + "; ".join(rel) + f"\n{{: .debate-relations {UNSEARCHED} }}\n") if rel else "",
        "</div>\n",
    ]


def debate_markdown(claim: Claim, dossier: Dossier, sources: dict[str, Source], passages: dict[str, Passage],
                    slips: dict[str, tuple[Erratum, ...]], site_url: str | None = None,
                    evidence: list[Evidence] | None = None) -> str:
    """One debate: the question, then each author's position side by side, quoted exactly (slips marked [sic]), the
    figures its `differs-in-figures` relations rest on (`evidence`, issue 17); proposals apart.

    Citable whole (`Cite this debate`) and position by position (each quote's passage, in the original).
    """
    page, labels = debate_page(claim.id), dossier.labels
    pv = Previews(dossier, page, passages, slips)
    whole = claim.status == "proposed"
    chips = " ".join(f"[{t}]({link(page, topic_page(t))}){{: .chip .chip-{t} }}" for t in claim.topics)
    cited = [(sources[pos.source], passages[pos.passage]) for pos in claim.positions]
    # A proposal is no search result (not reviewed); a debate is one, with the sources, authors and topics of its
    # reviewed positions. Neither is tagged: the tags page would list every debate (the topic pages list them).
    taking = [sources[sid] for sid in dict.fromkeys(pos.source for pos in claim.positions)]
    found = NOT_INDEXED if whole else search_facets("debate", taking, labels, claim.topics)
    parts = [front_matter(title(claim, labels), (), found),
             f"Topics: {chips} · " + (f"*{PROPOSED}*: {PROPOSAL_NOTE}" if whole else counts(claim))
             + "\n{: .debate-summary }\n",
             "" if whole else debate_cite(claim.question, cited, permalink(site_url, url(page))),
             '<div class="debate-positions" markdown>\n']
    for pos in claim.positions:
        parts += _position(pos, claim, sources[pos.source], labels, pv, passages[pos.passage], slips, site_url)
    parts.append("</div>\n")
    parts.append(evidence_section(evidence or [], pv, labels))
    if claim.proposed:
        parts += [f"## {PROPOSED} {{: #proposed {UNSEARCHED} }}\n", PROPOSAL_NOTE + f"\n{{: {UNSEARCHED} }}\n",
                  f'<div class="debate-positions" markdown {UNSEARCHED}>\n']
        for pos in claim.proposed:
            parts += _position(pos, claim, sources[pos.source], labels, pv, passages[pos.passage], slips, site_url)
        parts.append("</div>\n")
    listed = [sources[sid] for sid in dict.fromkeys(pos.source for pos in claim.positions + claim.proposed)]
    parts += ["## Sources {: #sources }\n"] + [bibliography_line(s) for s in listed] + [page_bibliography(listed), pv.block()]
    return "\n".join(parts)


def render(ctx: Context):
    """Each debate's page (the index is `debates_index`)."""
    dossier = ctx.dossier
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    passages, slips = {p.id: p for p in dossier.passages()}, by_passage(dossier.errata)
    evidence: dict[str, list[Evidence]] = {}  # by debate, in one pass (not one pass over all of it per debate)
    for ev in dossier.evidence:
        evidence.setdefault(ev.debate, []).append(ev)
    for claim in dossier.claims + dossier.proposed:
        yield debate_page(claim.id), debate_markdown(claim, dossier, sources, passages, slips, ctx.site_url,
                                                     evidence.get(claim.id, []))


KIND = PageKind("debate pages", (DEBATES,), render)
