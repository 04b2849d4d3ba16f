"""Debate pages: the debates index by topic, and one page per debate with the positions side by side.

Ledger and source text reach them only through `text.inert`.
"""

from __future__ import annotations

from ...model import TOPICS, Claim, Dossier, Source
from ...text import inert
from ..addresses import DEBATES, DEBATES_INDEX, debate_page, link, passage_link, topic_page
from ..citations import bibliography_line, short_note
from ..debate_lines import LABELS, counts
from ..evidence_lines import evidence_section
from ..kind import Context, PageKind
from ..markdown import front_matter

PAGE = DEBATES_INDEX.path


def debate_markdown(claim: Claim, sources: dict[str, Source], labels: dict[str, str], figures: str = "") -> str:
    """One debate: the question, then each author's position side by side, quoted exactly."""
    page = debate_page(claim.id)
    parts = [front_matter(claim.question, claim.topics),
             "Topics: " + " ".join(f"[{t}]({link(page, topic_page(t))}){{: .chip .chip-{t} }}" for t in claim.topics)
             + f" · {counts(claim)}\n{{: .debate-summary }}\n",
             '<div class="debate-positions" markdown>\n']
    for pos in claim.positions:
        s = sources[pos.source]
        rel = [f"{LABELS[r.kind]} {inert(labels[r.other])}" for r in claim.directed() if r.source == pos.source]
        parts += [
            '<div class="debate-position" markdown>\n',
            f"### {inert(labels[s.id])} {{: #{pos.source} }}\n",
            f"**{inert(pos.stance)}**\n{{: .debate-stance }}\n",
            f'<blockquote class="debate-quote"><p>{inert(pos.exact)}</p></blockquote>\n',
            f"[{inert(labels[s.id])} ¶{pos.n}]({passage_link(page, pos.passage)}) — {inert(s.display_title)}\n",
            short_note(s, pos.n),
            ("Relations: " + "; ".join(rel) + "\n{: .debate-relations }\n") if rel else "",
            "</div>\n",
        ]
    parts.append("</div>\n")
    parts.append(figures)  # issue 17: the figures a differs-in-figures relation rests on
    cited = [sources[sid] for sid in dict.fromkeys(pos.source for pos in claim.positions)]
    parts += ["## Sources {: #sources }\n"] + [bibliography_line(s) for s in cited]
    return "\n".join(parts)


def debates_index(dossier: Dossier) -> str:
    """All questions, grouped by topic, with counts of agreeing and disputing pairs."""
    if not dossier.claims:
        return (front_matter("Debates") + "\nNo debates yet: `sources/claims.yaml` is missing or empty. "
                f"See [Ledgers]({link(PAGE, 'about/ledgers.md')}) for how to add one, and `build-dossier suggest` for candidates.\n")
    parts = [front_matter("Debates"),
             f"{len(dossier.claims)} contested questions on which two or more authors take a position, each backed by "
             "an exact quote. Counts are pairs of positions by relation: agrees, disputes, qualifies, differs in figures.\n"]
    for topic in TOPICS:
        claims = [c for c in dossier.claims if topic in c.topics]
        parts.append(f"## {topic.capitalize()} {{: #{topic} }}\n")
        if not claims:
            parts.append("*No debate on this topic yet.*\n")
            continue
        rows = ["| Question | Positions | Agrees | Disputes | Qualifies | Differs in figures |", "| --- | --- | --- | --- | --- | --- |"]
        for c in claims:
            rows.append(f"| [{inert(c.question)}]({link(PAGE, debate_page(c.id))}) | {len(c.positions)} | {c.count('agrees')} | "
                        f"{c.count('disputes')} | {c.count('qualifies')} | {c.count('differs-in-figures')} |")
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def render(ctx: Context):
    """The index (also with no ledger: the docs link to it), then each debate's page."""
    dossier = ctx.dossier
    yield PAGE, debates_index(dossier)
    sources = {seg.source.id: seg.source for seg in dossier.sources}
    for claim in dossier.claims:
        evidence = [ev for ev in dossier.evidence if ev.debate == claim.id]
        yield debate_page(claim.id), debate_markdown(claim, sources, dossier.labels,
                                                     evidence_section(evidence, debate_page(claim.id), dossier.labels))


KIND = PageKind("debate pages", (DEBATES_INDEX, DEBATES), render)
