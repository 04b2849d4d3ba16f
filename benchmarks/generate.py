"""Synthetic corpus generator for the benchmark: N sources made from the three articles' paragraphs.

Each synthetic source recombines paragraphs and headings of the articles in sources/, with varied
wording (sentences shuffled within a paragraph, synonyms swapped, numbers and years perturbed,
sentences dropped), valid front matter, some page chrome for the cleaner to remove, and some
hard-wrapped paragraphs. A debates ledger quotes the synthetic sources (two debates per source by
default), so the claims stage and the debate pages scale with N too. The same seed gives the same
corpus, byte for byte.

    python benchmarks/generate.py 300 /tmp/corpus-300    # then: build-dossier build -p /tmp/corpus-300
"""

from __future__ import annotations

import argparse
import json
import random
import re
import textwrap
from pathlib import Path

from build_dossier.analyse.claims import find
from build_dossier.analyse.clean import clean
from build_dossier.ingest.load import load_sources, read_source
from build_dossier.model import RELATIONS, TOPICS
from build_dossier.analyse.segment import segment
from build_dossier.text import sentences
from build_dossier.publish.write import copy_site_inputs

ROOT = Path(__file__).resolve().parent.parent


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)

SYNONYMS = [
    ("relationship", "partnership"), ("significant", "substantial"), ("important", "crucial"),
    ("increase", "rise"), ("increased", "grew"), ("however", "yet"), ("However", "Yet"), ("war", "conflict"),
    ("the Kremlin", "Moscow"), ("Chinese leader", "Chinese president"), ("economic", "commercial"),
    ("military", "armed forces'"), ("support", "backing"), ("strong", "robust"), ("countries", "states"),
    ("large", "sizeable"), ("many", "numerous"), ("also", "likewise"), ("because", "since"),
    ("Western", "Euro-Atlantic"), ("cooperation", "collaboration"), ("challenge", "test"),
    ("global", "worldwide"), ("leaders", "heads of state"), ("policy", "strategy"),
]
FIRST = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Feng", "Grace", "Hiro", "Irina", "James", "Kateryna", "Li",
         "Maria", "Nikolai", "Olga", "Pavel", "Qing", "Rosa", "Sergei", "Tatiana", "Umar", "Vera", "Wei", "Yuri"]
LAST = ["Abramova", "Bennett", "Chang", "Dubois", "Eriksen", "Fischer", "Gordon", "Huang", "Ivanova", "Jensen",
        "Kovalenko", "Larsen", "Morozov", "Novak", "Ortega", "Petrov", "Quinn", "Rossi", "Sokolova", "Tanaka",
        "Usmanov", "Volkova", "Wang", "Xu", "Yamamoto", "Zhou"]
PUBLISHERS = ["Foreign Affairs", "Center for European Policy Analysis (CEPA)", "Council on Foreign Relations",
              "Carnegie Endowment for International Peace", "The Diplomat", "War on the Rocks", "RAND Corporation",
              "Chatham House", "Brookings Institution", "International Crisis Group"]
CHROME = ["Subscribe", "Share this article", "Print", "Newsletter"]


def pools(sources_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, text) of every passage of the real articles, and their section headings."""
    sources, problems = load_sources(sources_dir, sources_dir.parent)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    passages, headings = [], []
    for source in sources:
        seg = segment(clean(source))
        passages += [(p.kind, p.text) for p in seg.passages]
        headings += [s.title for s in seg.sections]
    return passages, headings


def _perturb_number(m: re.Match, rng: random.Random) -> str:
    digits = m.group(0)
    value = int(digits.replace(",", ""))
    if 1900 <= value <= 2100 and "," not in digits:
        return str(value + rng.randint(-3, 3))
    new = max(1, round(value * rng.uniform(0.8, 1.25)))
    return f"{new:,}" if "," in digits else str(new)


def vary(text: str, rng: random.Random) -> str:
    """The same paragraph in other words: sentences shuffled or dropped, synonyms, other numbers."""
    parts = sentences(text)
    if len(parts) > 2 and rng.random() < 0.5:
        head, tail = parts[0], parts[1:]
        rng.shuffle(tail)
        parts = [head] + tail
    if len(parts) > 3 and rng.random() < 0.3:
        del parts[rng.randrange(1, len(parts))]
    out = " ".join(parts)
    for a, b in SYNONYMS:
        if rng.random() < 0.4:
            out = re.sub(rf"\b{re.escape(a)}\b", b, out) if rng.random() < 0.5 else re.sub(rf"\b{re.escape(b)}\b", a, out)
    return re.sub(r"\d{1,3}(?:,\d{3})+|\d+", lambda m: _perturb_number(m, rng), out)


def source_text(i: int, passages: list[tuple[str, str]], headings: list[str], rng: random.Random) -> str:
    """One synthetic `sources/<id>.md`: front matter, a byline, sections of varied paragraphs, chrome."""
    sid = f"synthetic-{i:04d}"
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2)))]
    year = rng.randint(2015, 2025)
    title = vary(rng.choice(headings), rng).rstrip("?.") + f": {rng.choice(['a reassessment', 'the view from Moscow', 'the view from Beijing', 'what comes next', 'limits and leverage'])}"
    front = [
        "---", f"id: {sid}", f"title: {quoted(title)}", "authors:", *[f"  - {a}" for a in authors],
        f"publisher: {quoted(rng.choice(PUBLISHERS))}", f"date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"url: https://example.org/synthetic/{sid}", "license: null",
        'license_note: "Synthetic benchmark text; no licence."', "accessed: null",
        'accessed_note: "Generated, not captured."', "---",
    ]
    wrapped = rng.random() < 0.2  # a hard-wrapped capture: blank lines between paragraphs
    lines = [title, f"By {' and '.join(authors)}", rng.choice(CHROME)]
    for _ in range(rng.randint(3, 7)):
        lines.append(vary(rng.choice(headings), rng).rstrip(".:;,") or "Outlook")
        for _ in range(rng.randint(3, 8)):
            kind, text = rng.choice(passages)
            text = vary(text, rng)
            if kind == "bullet":
                lines.append("- " + text)
            elif wrapped:
                lines += textwrap.wrap(text, 78)
            else:
                lines.append(text)
            if wrapped:
                lines.append("")
    lines += ["Recommended Reading", "Another article on the same subject", "A third teaser"]
    return "\n".join(front + lines) + "\n"


def ledger(project: Path, n_debates: int, rng: random.Random) -> str:
    """A debates ledger whose quotes stand in exactly one passage of their source."""
    sources, _ = load_sources(project / "sources", project)
    segs = [segment(clean(s)) for s in sources]
    out = ["# Synthetic debates ledger (benchmarks/generate.py).", "debates:"]
    for k in range(n_debates):
        chosen = rng.sample(segs, min(len(segs), rng.choice((2, 2, 3))))
        positions = []
        for seg in chosen:
            for _ in range(20):
                p = rng.choice(seg.passages)
                words = p.text.split()
                start = rng.randrange(max(1, len(words) - 10))
                quote = " ".join(words[start:start + 10])
                if len(quote) > 20 and sum(bool(find(quote, q)) for q in seg.passages) == 1:
                    positions.append((seg.source.id, quote))
                    break
        if len(positions) < 2:
            continue
        out += [f"  - id: debate-{k:04d}", f"    question: {quoted(f'Synthetic question {k}: ' + positions[0][1] + '?')}",
                f"    topics: [{', '.join(sorted(rng.sample(TOPICS, rng.choice((1, 1, 2)))))}]", "    positions:"]
        for j, (sid, quote) in enumerate(positions):
            out += [f"      - source: {sid}", f"        stance: {quoted(' '.join(quote.split()[:4]))}",
                    f"        quote: {quoted(quote)}"]
            if j:
                out.append("        relations:")
                out += [f"          {other}: {rng.choice(RELATIONS)}" for other, _ in positions[:j]]
    return "\n".join(out) + "\n"


def generate(n: int, dest: Path, seed: int = 7, debates_per_source: float = 2.0) -> Path:
    """Write a project with `n` synthetic sources and a ledger to `dest` (which must not exist)."""
    if dest.exists():
        raise SystemExit(f"{dest} exists; give a new folder.")
    passages, headings = pools(ROOT / "sources")
    copy_site_inputs(ROOT, dest)  # mkdocs.yml, the hook and the hand-written docs/
    (dest / "sources").mkdir()
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        (dest / "sources" / f"synthetic-{i:04d}.md").write_text(source_text(i, passages, headings, rng), encoding="utf-8")
    text = ledger(dest, round(n * debates_per_source), random.Random(f"{seed}-ledger"))
    (dest / "sources" / "claims.yaml").write_text(text, encoding="utf-8")
    for path in sorted((dest / "sources").glob("*.md")):  # fail here, not in the benchmark, if a source is invalid
        _, problems = read_source(path, dest)
        if problems:
            raise SystemExit("\n".join(map(str, problems)))
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of sources")
    parser.add_argument("dest", type=Path, help="new project folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--debates-per-source", type=float, default=2.0)
    args = parser.parse_args()
    generate(args.n, args.dest, args.seed, args.debates_per_source)
    print(f"{args.n} sources written to {args.dest}")


if __name__ == "__main__":
    main()
