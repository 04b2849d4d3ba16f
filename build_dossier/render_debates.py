"""Debate pages, and the debate lines shown under passages (ledger and source text through `text.inert`)."""

from __future__ import annotations

from .facets import NOT_INDEXED, search_facets
from .model import RELATIONS, TOPICS, Claim, Dossier, Passage, Source
from .render import front_matter, source_page_path
from .render_cite import bibliography_line, short_note
from .text import inert

LABELS = {"agrees": "agrees", "disputes": "disputes", "qualifies": "qualifies", "qualified-by": "qualified by",
          "differs-in-figures": "differs in figures"}
CONTESTED = {"disputes": 2.0, "differs-in-figures": 1.5, "qualifies": 1.0, "agrees": 0.0}
"""How much each kind of relation makes a debate contested (for the home page's ranking)."""


def debate_path(claim_id: str) -> str:
    return f"debates/{claim_id}.md"


def contested(claim: Claim) -> float:
    return sum(CONTESTED[r.kind] for r in claim.relations)


def counts(claim: Claim) -> str:
    """`2 disputes · 1 agrees` — the pairs of positions by relation."""
    parts = [f"{claim.count(k)} {LABELS[k]}" for k in RELATIONS if claim.count(k)]
    return " · ".join(parts) or "no relations"


def passage_debates(p: Passage, claims: tuple[Claim, ...], labels: dict[str, str], prefix: str) -> str:
    """Lines under a passage: each debate it joins, with links to the other authors' passages."""
    out = []
    for claim in claims:
        if not any(pos.passage == p.id for pos in claim.positions):
            continue
        links = []
        for r in claim.directed():
            if r.source != p.source:
                continue
            other = claim.position(r.other)
            links.append(f"{LABELS[r.kind]} — [{inert(labels[other.source])} ¶{other.n}]"
                         f"({prefix}{source_page_path(other.source)}#p{other.n})")
        out.append(f"**Debate:** [{inert(claim.question)}]({prefix}{debate_path(claim.id)}) · " + " · ".join(links)
                   + '\n{: .passage-debate data-search-exclude="" }\n')
    return "\n".join(out)


def debate_page(claim: Claim, sources: dict[str, Source], labels: dict[str, str]) -> str:
    """One debate: the question, then each author's position side by side, quoted exactly."""
    cited = tuple(sources[sid] for sid in dict.fromkeys(pos.source for pos in claim.positions))
    parts = [front_matter(claim.question, claim.topics, search_facets("debate", cited, labels, claim.topics)),
             "Topics: " + " ".join(f"[{t}](../topics/{t}.md){{: .chip .chip-{t} }}" for t in claim.topics)
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
            # The link to the passage and the relations name sources: navigation, not text to search.
            f"[{inert(labels[s.id])} ¶{pos.n}](../{source_page_path(s.id)}#p{pos.n}) — {inert(s.display_title)}\n"
            '{: data-search-exclude="" }\n',
            short_note(s, pos.n),
            ("Relations: " + "; ".join(rel) + '\n{: .debate-relations data-search-exclude="" }\n') if rel else "",
            "</div>\n",
        ]
    parts.append("</div>\n")
    parts += ["## Sources {: #sources }\n"] + [bibliography_line(s) for s in cited]
    return "\n".join(parts)


def debates_index(dossier: Dossier) -> str:
    """All questions, grouped by topic, with counts of agreeing and disputing pairs."""
    if not dossier.claims:
        return (front_matter("Debates", extra=NOT_INDEXED) + "\nNo debates yet: `sources/claims.yaml` is missing or empty. "
                "See [Ledgers](../about/ledgers.md) for how to add one, and `build-dossier suggest` for candidates.\n")
    parts = [front_matter("Debates", extra=NOT_INDEXED),
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
            rows.append(f"| [{inert(c.question)}]({c.id}.md) | {len(c.positions)} | {c.count('agrees')} | "
                        f"{c.count('disputes')} | {c.count('qualifies')} | {c.count('differs-in-figures')} |")
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def debate_list(claims: list[Claim], prefix: str) -> str:
    """A Markdown list of debates with their counts."""
    return "\n".join(f"- [{inert(c.question)}]({prefix}{debate_path(c.id)}) — {counts(c)}" for c in claims) + "\n"


def most_contested(dossier: Dossier, n: int = 6) -> list[Claim]:
    return sorted(dossier.claims, key=lambda c: (-contested(c), c.id))[:n]
