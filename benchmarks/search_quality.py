"""The analyst query set (tests/data/search-queries.yaml) on a built site of the three articles, in Chromium.

Builds a copy of this project's sources and types every query into the search box, as the browser test does:
the hosted build's Pagefind box, or Material's own search (lunr), which the offline copy keeps (`build --offline`,
served over HTTP here). Prints hits@1 (the first passage listed is the expected one, or an accepted one),
strict hits@1 (and it is the first result of any kind), the mean reciprocal rank, and the misses.

    python benchmarks/search_quality.py --engine pagefind
    python benchmarks/search_quality.py --engine material
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from support import (CHROMIUM, CHROMIUM_ARGS, copy_project, load_queries, material_results, pagefind_results,  # noqa: E402
                     score, serve, summary)

from build_dossier.pipeline import build  # noqa: E402


def run(engine: str) -> dict:
    """Build the three articles (offline for Material's search) and score the query set on it."""
    from playwright.sync_api import sync_playwright

    results = material_results if engine == "material" else pagefind_results
    with tempfile.TemporaryDirectory(prefix="dossier-search-") as tmp:
        project = copy_project(Path(tmp) / "p")
        build(project, offline=engine == "material")
        with serve(project.site_dir) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "index.html")
            scored = [score(q, results(page, q.query)) for q in load_queries()]
            browser.close()
    for s in scored:
        print(f"{s.query.query!r:40} rank {s.rank}  first: {', '.join(s.passages[:2])}", file=sys.stderr)
    return summary(scored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=("pagefind", "material"), default="pagefind")
    print(json.dumps(run(parser.parse_args().engine), indent=1))


if __name__ == "__main__":
    main()
