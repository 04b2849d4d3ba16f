"""Stage 3: cut a cleaned source into section headings and numbered passages."""

from __future__ import annotations

import re

from ..model import Block, Cleaned, Line, Passage, Section, Segmented
from ..text import TERMINAL, sentences, slugify, unique

BULLET_RE = re.compile(r"^(?:[-*+•·▪–]|\d{1,3}[.)])\s+")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_RULE_RE = re.compile(r"^(?:[-*_]\s*){3,}$")
WRAP_WIDTH = 100
"""Lines no longer than this, in a group of such lines, are taken to be hard-wrapped."""
WRAP_MIN = 50
"""A line shorter than this ends its paragraph even in hard-wrapped text."""


def heading_like(text: str) -> bool:
    """A short standalone line without sentence punctuation (a question mark is allowed)."""
    if len(text) > 100 or len(text.split()) > 14 or not text[:1].isupper() and not text[:1].isdigit():
        return False
    if text.endswith(TERMINAL) and not text.endswith("?"):
        return False
    return len(sentences(text)) == 1


def _groups(lines: tuple[Line | None, ...]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line is None:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line)
    return [g for g in groups if g]


def _text_blocks(group: list[Line], last_group: bool) -> list[tuple[str, list[Line]]]:
    """Split a group of adjacent lines of captured text into (kind, lines) blocks."""
    wrapped = len(group) > 1 and all(len(line.text) <= WRAP_WIDTH for line in group[:-1])
    blocks: list[tuple[str, list[Line]]] = []
    for line in group:
        bullet = bool(BULLET_RE.match(line.text))
        if blocks and not bullet and wrapped and len(blocks[-1][1][-1].text) >= WRAP_MIN:
            blocks[-1][1].append(line)
        else:
            blocks.append(("bullet" if bullet else "paragraph", [line]))
    out = []
    for i, (kind, block) in enumerate(blocks):
        is_last = last_group and i == len(blocks) - 1
        if kind == "paragraph" and len(block) == 1 and not is_last and heading_like(block[0].text):
            kind = "heading"
        out.append((kind, block))
    return out


def _markdown_blocks(group: list[Line]) -> list[tuple[str, list[Line]]]:
    """Split a group of adjacent Markdown lines into (kind, lines) blocks."""
    blocks: list[tuple[str, list[Line]]] = []
    for line in group:
        if MD_RULE_RE.match(line.text):
            continue
        if MD_HEADING_RE.match(line.text):
            blocks.append(("heading", [line]))
        elif BULLET_RE.match(line.text):
            blocks.append(("bullet", [line]))
        elif blocks and blocks[-1][0] != "heading":
            blocks[-1][1].append(line)
        else:
            blocks.append(("paragraph", [line]))
    return blocks


def _span(kind: str, lines: list[Line], markdown: bool) -> tuple[int, int]:
    """Offsets of the block's text, without bullet marker or heading hashes."""
    start, first = lines[0].start, lines[0].text
    if kind == "bullet":
        start += BULLET_RE.match(first).end()
    elif kind == "heading" and markdown:
        m = MD_HEADING_RE.match(first)
        start += m.start(2)
        return start, start + len(m.group(2))
    return start, lines[-1].end


def segment(cleaned: Cleaned) -> Segmented:
    """Number the passages 1..N in reading order and file them under their headings."""
    source = cleaned.source
    markdown = source.format == "markdown"
    groups = _groups(cleaned.lines)
    blocks: list[Block] = []
    texts: list[str] = []
    for g, group in enumerate(groups):
        found = _markdown_blocks(group) if markdown else _text_blocks(group, g == len(groups) - 1)
        for kind, lines in found:
            start, end = _span(kind, lines, markdown)
            if end > start:
                blocks.append(Block(kind, start, end, lines[0].number))
                # a block that is one whole line shares the line's text: not a second copy of most of the sources
                texts.append(lines[0].text if (start, end) == (lines[0].start, lines[0].end) else source.body[start:end])
    sections: list[Section] = []
    passages: list[Passage] = []
    used: set[str] = set()
    current: Section | None = None
    for block, text in zip(blocks, texts):
        if block.kind == "heading":
            sid = unique("sec-" + slugify(text, str(len(sections) + 1)), used)
            used.add(sid)
            current = Section(sid, text)
            sections.append(current)
        else:
            passages.append(Passage(source.id, len(passages) + 1, block.kind, current,
                                    block.start, block.end, text, block.line))
    return Segmented(cleaned, tuple(passages), tuple(sections), tuple(blocks))
