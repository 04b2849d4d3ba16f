"""Benchmark: time every build_dossier stage and the MkDocs build on synthetic corpora of N sources.

For each N a corpus is generated (benchmarks/generate.py, not timed), then built by the real
pipeline (`pipeline.build`) in a fresh Python process, so that the peak memory (max RSS) is that
build's alone. Stage times, CPU times and the RSS as each stage ends are the `Timing`s the pipeline
returns. The built site's search is then measured in Chromium (benchmarks/search.py: bytes transferred,
time to results). Then inputs built to be slow (worst_cases) are timed on their own. Prints the Markdown
tables of docs/about/benchmarks.md.

    python benchmarks/run.py                  # N = 3, 30, 300
    python benchmarks/run.py --sizes 3 30     # quicker
    python benchmarks/run.py --no-browser     # without the search measurements
    python benchmarks/run.py --sizes 300 3000 --no-browser --no-serve   # the large corpus (about an hour)

Every HTML page's size is compared with PAGE_LIMIT, page kind by page kind. `serve` on the three articles is
timed from a saved edit to the new text served (benchmarks/serve.py), once per run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ("load", "clean", "segment", "tag", "claims", "related", "figures", "events", "render")
"""The dossier stages (pipeline.gather and render), in pipeline order."""
PAGE_LIMIT = 300 * 1024
"""The most bytes of HTML any built page may have, whatever the number of sources."""


def page_kind(rel: str) -> str:
    """The kind of a built page, from its path in site/ (`topics/trade/2.html` -> `topic part`)."""
    parts = rel.split("/")
    if rel == "index.html":
        return "home"
    if rel == "debates/index.html":
        return "debates index"
    if parts[0] in ("sources", "debates") and len(parts) == 2:
        return {"sources": "source", "debates": "debate"}[parts[0]]
    if parts[0] == "topics":
        return "topic" if len(parts) == 2 else "topic part"
    if rel in ("figures.html", "reports/cleaning.html", "cite.html", "tags.html", "timeline.html"):
        return rel[:-5].split("/")[-1]
    if rel.startswith("figures/"):
        return "measure" if len(parts) == 2 else "measure part"
    if rel.startswith(("reports/cleaning/", "cite/", "timeline/")):
        return rel.rsplit("/", 1)[0].split("/")[-1] + " part"
    return "other"


def page_sizes(site: Path) -> dict[str, tuple[int, int, str]]:
    """Page kind -> (number of pages, largest page in bytes, its path)."""
    out: dict[str, tuple[int, int, str]] = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        kind, size = page_kind(rel), path.stat().st_size
        n, biggest, where = out.get(kind, (0, -1, ""))
        out[kind] = (n + 1, size, rel) if size > biggest else (n + 1, biggest, where)
    return out


class IndexerPeak(threading.Thread):
    """The highest peak resident memory (VmHWM) of any Pagefind process, read from /proc every POLL seconds while
    the build runs.

    Not the children's `ru_maxrss`: a child is spawned from the build's own process and counts its memory until it
    becomes Pagefind, so past the size of Pagefind's runs (once the index is built in shards) that number is the
    build's own. A peak is read from the kernel's high-water mark, which only grows, so a run's peak is seen unless
    it comes in its last POLL seconds (while Pagefind writes its files, its memory is already at its peak)."""

    POLL = 0.1

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb, self.runs, self._seen, self._done = 0, 0, set(), threading.Event()
        self.together_kb = 0
        """The most resident memory of the build's process and all it runs at one reading (VmRSS, summed)."""

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(self.POLL):
            parents, found, resident = {}, {}, {}
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                except OSError:  # the process ended
                    continue
                pid = int(status.parent.name)
                parents[pid] = int(fields.get("PPid", "0").split()[0])
                resident[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
                if fields.get("Name", "").strip() == "pagefind" and "VmHWM" in fields:
                    found[pid] = int(fields["VmHWM"].split()[0])
            mine = {pid for pid in parents if self._descends(pid, parents, me)}  # this build's (others may run)
            self.together_kb = max(self.together_kb, sum(resident[pid] for pid in mine | {me} if pid in resident))
            for pid in mine.intersection(found):
                self.peak_kb = max(self.peak_kb, found[pid])
                self._seen.add(pid)
        self.runs = len(self._seen)

    @staticmethod
    def _descends(pid: int, parents: dict[int, int], me: int) -> bool:
        while pid not in (0, 1, me):
            pid = parents.get(pid, 0)
        return pid == me

    def stop(self) -> float:
        """Stop reading; the peak in MB."""
        self._done.set()
        self.join()
        return self.peak_kb / 1024


def worker(project: Path) -> dict:
    """Build `project` with the real pipeline; stage times, peak memory and page sizes."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from build_dossier.pipeline import Project, build, gather

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    pages = page_clock()
    indexer = IndexerPeak()
    indexer.start()
    start = time.perf_counter()
    run = build(Project(project))
    total = time.perf_counter() - start
    peak, peak_children = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, indexer.stop()
    dossier, _ = gather(Project(project))  # the build let its model go before MkDocs ran
    site = project / "site"
    parts = {}
    for name, fn in render_parts().items():  # the largest generated pages, timed again on their own
        t = time.perf_counter()
        size = len(fn(dossier).encode("utf-8"))
        parts[name] = (time.perf_counter() - t, size)
    source_pages = sorted((site / "sources").glob("*.html"))
    index = [p for shard in site.glob("pagefind*") if shard.is_dir() for p in shard.rglob("*") if p.is_file()]
    one = site / "sources" / "synthetic-0000.html"
    html = one.read_text(encoding="utf-8")
    return {
        "sources": len(dossier.sources), "passages": len(dossier.passages()), "debates": len(dossier.claims),
        "stages": {t.stage: (t.seconds, t.peak_memory_mb, t.cpu_seconds) for t in run.timings}, "total": total,
        "peak_rss_mb": peak, "peak_rss_children_mb": peak_children, "pagefind_runs": indexer.runs,
        "together_rss_mb": indexer.together_kb / 1024,
        "page_sizes": page_sizes(site), "json_bytes": (project / "docs" / "dossier.json").stat().st_size,
        "html_files": len(list(site.rglob("*.html"))),
        "page_bytes": one.stat().st_size, "page_links": html.count("<a "),
        "median_page_bytes": statistics.median(p.stat().st_size for p in source_pages),
        "topic_page_bytes": max(p.stat().st_size for p in (site / "topics").glob("*.html")),
        "render_parts": parts, "mkdocs_pages": pages, "charts": len(list((site / "charts").glob("*.svg"))),
        "index_bytes": sum(p.stat().st_size for p in index), "index_files": len(index),
    }


def page_clock() -> dict[str, float]:
    """MkDocs seconds per group of pages (sources/, debates/, topics/, figures, the rest).

    Wraps MkDocs' per-page steps (private functions of mkdocs.commands.build, 1.6): benchmark only.
    """
    import mkdocs.commands.build as mk

    spent: dict[str, float] = {}

    def wrap(fn):
        def timed(page, *args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(page, *args, **kwargs)
            finally:
                uri = page.file.src_uri
                group = ("figures.md" if uri.startswith("figures/") or uri == "figures.md" else uri.split("/", 1)[0] + "/"
                         if "/" in uri else "other")
                spent[group] = spent.get(group, 0.0) + time.perf_counter() - start
        return timed

    if hasattr(mk, "_populate_page") and hasattr(mk, "_build_page"):
        mk._populate_page = wrap(mk._populate_page)
        mk._build_page = wrap(mk._build_page)
    return spent


def render_parts() -> dict:
    """Renderers of the pages that grow with the corpus (each including the measures' comparison it needs)."""
    from build_dossier.render.pages.dossier_json import dossier_json
    from build_dossier.analyse.compare import comparisons
    from build_dossier.render.kind import Context
    from build_dossier.render.pages import figures

    from build_dossier.render.charts import chart_svg, charted

    def charts(d) -> str:
        order = tuple(seg.source.id for seg in d.sources)
        return "".join(chart_svg(c, order, d.labels) for c in comparisons(d.measures, d.figures) if charted(c))

    return {"dossier.json": lambda d: "".join(dossier_json(d, comparisons(d.measures, d.figures))),
            "figures pages": lambda d: "".join(text for path, text in figures.render(
                Context(d, None, (), tuple(comparisons(d.measures, d.figures)))) if path.endswith(".md")),
            "charts": charts}


def chart_import_seconds() -> float:
    """How long loading matplotlib's SVG drawing takes in a fresh process (paid once, by a build that draws a chart)."""
    code = ("import time; t = time.perf_counter(); import matplotlib.figure, matplotlib.backends.backend_svg; "
            "print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def worst_cases(workdir: Path) -> list[tuple[str, float, float]]:
    """(input, wall seconds, CPU seconds) for inputs built to be slow, each read by the stage it targets.

    The figures inputs come in two sizes: linear work takes twice as long on the larger.
    """
    from build_dossier.analyse.figures import passage_figures
    from build_dossier.ingest.load import read_source, split_front_matter
    from build_dossier.analyse.measures import default_measures
    from build_dossier.model import Passage

    measures = default_measures()
    bodies = [split_front_matter(p.read_text(encoding="utf-8"), p.name)[1]
              for p in sorted((HERE.parent / "sources").glob("*.md"))]
    articles = " ".join(" ".join(b.split()) for b in bodies)

    def figures_of(text: str):
        return lambda: passage_figures(Passage("x", 1, "paragraph", None, 0, len(text), text, 1), measures)

    cases = {}
    for kb in (500, 1000):
        text = " ".join([articles] * (kb * 1000 // len(articles) + 1))[:kb * 1000]
        cases[f"figures: one {kb:,} kB passage (the three articles, repeated)"] = figures_of(text)
    for n in (15_000, 30_000):
        cases[f"figures: a {n // 100} kB run without a full stop (`5 troops, ` × {n:,})"] = figures_of("5 troops, " * n)
    levels = "\n".join(f"{chr(98 + k)}: &{chr(98 + k)} [" + ",".join([f"*{chr(97 + k)}"] * 9) + "]" for k in range(9))
    bomb = workdir / "sources" / "bomb.md"
    bomb.parent.mkdir(parents=True, exist_ok=True)
    bomb.write_text('---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + levels + "\n---\nText.\n",
                    encoding="utf-8")
    cases["load: a YAML alias bomb (10 levels of 9: 3.5 billion items if expanded)"] = lambda: read_source(bomb, workdir)
    out = []
    for name, fn in cases.items():
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    return out


def measure(n: int, workdir: Path, seed: int) -> dict:
    """Generate a corpus of `n` sources and build it in a child process."""
    project = workdir / f"corpus-{n}"
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(project), "--seed", str(seed)], check=True,
                   stdout=subprocess.DEVNULL)
    run = subprocess.run([sys.executable, str(HERE / "run.py"), "--worker", str(project)], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    return json.loads(run.stdout)


def table(results: dict[int, dict]) -> str:
    """The results as a Markdown table: one row per measure, one column per N."""
    sizes = sorted(results)
    rows = [("sources", lambda r: str(r["sources"])), ("passages", lambda r: str(r["passages"])),
            ("debates", lambda r: str(r["debates"]))]
    for stage in STAGES:
        rows.append((f"{stage} (s)", lambda r, s=stage: f"{r['stages'].get(s, (0, 0, 0))[0]:.3f}"))
    rows += [
        ("**dossier stages (s)**", lambda r: f"**{stages_time(r):.2f}**"),
        ("dossier stages, CPU time (s)", lambda r: f"{stages_time(r, cpu=True):.2f}"),
        ("peak memory after stages (MB RSS)", lambda r: f"{r['stages']['render'][1]:.0f}"),
        ("render: figures pages (s, MB)", lambda r: part(r, "figures pages")),
        ("render: dossier.json (s, MB)", lambda r: part(r, "dossier.json")),
        ("render: charts, all (s, MB)", lambda r: part(r, "charts")),
        ("charts drawn", lambda r: str(r["charts"])),
        ("search records, written before MkDocs (s)", lambda r: f"{r['stages'].get('records', (0, 0, 0))[0]:.2f}"),
        ("MkDocs build (s)", lambda r: f"{r['stages']['mkdocs'][0]:.2f}"),
        ("MkDocs build, CPU time (s)", lambda r: f"{r['stages']['mkdocs'][2]:.2f}"),
        ("MkDocs: source pages (s)", lambda r: f"{r['mkdocs_pages'].get('sources/', 0):.2f}"),
        ("MkDocs: debate pages (s)", lambda r: f"{r['mkdocs_pages'].get('debates/', 0):.2f}"),
        ("MkDocs: topic pages (s)", lambda r: f"{r['mkdocs_pages'].get('topics/', 0):.2f}"),
        ("MkDocs: figures pages (s)", lambda r: f"{r['mkdocs_pages'].get('figures.md', 0):.2f}"),
        ("search index: Pagefind (s)", lambda r: f"{r['stages']['search'][0]:.2f}"),
        ("search index on disk (MB, files)", lambda r: f"{r['index_bytes'] / 1e6:.1f}, {r['index_files']}"),
        ("write and swap (s)", lambda r: f"{r['stages']['write'][0]:.2f}"),
        ("whole build (s)", lambda r: f"{r['total']:.2f}"),
        ("peak memory when MkDocs ended (MB RSS)", lambda r: f"{r['stages']['mkdocs'][1]:.0f}"),
        ("peak memory, whole build (MB RSS)", lambda r: f"{r['peak_rss_mb']:.0f}"),
        ("peak memory of Pagefind, run by the build (MB RSS, its largest run)",
         lambda r: f"{r.get('peak_rss_children_mb', 0):.0f}"),
        ("Pagefind runs (index shards)", lambda r: f"{r.get('pagefind_runs', 1)}"),
        ("the build's process and Pagefind together, most at one time (MB RSS, read every 0.1 s)",
         lambda r: f"{r.get('together_rss_mb', 0):.0f}"),
        ("**dossier stages / MkDocs build (wall)**", lambda r: f"**{stages_time(r) / r['stages']['mkdocs'][0]:.2f}**"),
        ("dossier stages / MkDocs build (CPU time)", lambda r: f"{stages_time(r, True) / r['stages']['mkdocs'][2]:.2f}"),
        ("dossier.json (MB)", lambda r: f"{r.get('json_bytes', 0) / 1e6:.1f}"),
        ("HTML pages", lambda r: str(r["html_files"])),
        ("one source page (kB)", lambda r: f"{r['page_bytes'] / 1024:.1f}"),
        ("links on that page", lambda r: str(r["page_links"])),
        ("median source page (kB)", lambda r: f"{r['median_page_bytes'] / 1024:.1f}"),
        ("largest topic page (kB)", lambda r: f"{r['topic_page_bytes'] / 1024:.0f}"),
        (f"pages over {PAGE_LIMIT // 1024} kB", lambda r: str(sum(1 for p in over(r)))),
    ]
    kinds = sorted({k for n in sizes for k in results[n].get("page_sizes", {})})
    rows += [(f"largest {kind} page (kB; pages)", lambda r, k=kind: (
        f"{r['page_sizes'][k][1] / 1024:.0f}; {r['page_sizes'][k][0]}" if k in r.get("page_sizes", {}) else "–"))
        for kind in kinds]
    if all("search" in results[n] for n in sizes):
        rows += [
            ("search: home page transferred (kB, gzip)", lambda r: f"{r['search']['page_bytes'] / 1024:.0f}"),
            ("search: first query, until its results show (kB)", lambda r: f"{r['search']['first_query_bytes'] / 1024:.0f}"),
            ("search: then its filter counts (kB)", lambda r: f"{r['search']['counts_bytes'] / 1024:.0f}"),
            ("search: first query, keystroke to results (ms)", lambda r: f"{r['search']['first_query_ms']:.0f}"),
            ("search: keystroke to results, median (ms)", lambda r: f"{r['search']['median_query_ms']:.0f}"),
            ("search: keystroke to results, slowest query (ms)", lambda r: f"{max(r['search']['query_ms'].values()):.0f}"),
        ]
    lines = ["| N = | " + " | ".join(str(n) for n in sizes) + " |", "| --- |" + " ---: |" * len(sizes)]
    lines += [f"| {name} | " + " | ".join(fn(results[n]) for n in sizes) + " |" for name, fn in rows]
    for small_n, big_n in ((30, 300), (300, 3000)):
        if small_n not in results or big_n not in results:
            continue
        big, small = results[big_n], results[small_n]
        lines.append(f"\ntime({big_n}) / time({small_n}), dossier stages: **{stages_time(big) / stages_time(small):.1f}** "
                     f"(CPU time: {stages_time(big, True) / stages_time(small, True):.1f}); MkDocs: "
                     f"**{big['stages']['mkdocs'][0] / small['stages']['mkdocs'][0]:.1f}** "
                     f"(CPU time: {big['stages']['mkdocs'][2] / small['stages']['mkdocs'][2]:.1f})")
    return "\n".join(lines)


def over(result: dict) -> list[str]:
    """The kinds whose largest page is over PAGE_LIMIT."""
    return [k for k, (_, size, _) in result.get("page_sizes", {}).items() if size > PAGE_LIMIT]


def part(result: dict, name: str) -> str:
    seconds, size = result["render_parts"].get(name, (0.0, 0))
    return f"{seconds:.2f}, {size / 1e6:.1f}"


def stages_time(result: dict, cpu: bool = False) -> float:
    return sum(result["stages"].get(s, (0, 0, 0))[2 if cpu else 0] for s in STAGES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 30, 300])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="generate the corpora here (a new folder) and keep them")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument("--no-browser", action="store_true", help="skip the search measurements in Chromium")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency measurement")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = {}
        for n in args.sizes:
            results[n] = measure(n, workdir, args.seed)
            if not args.no_browser:
                from search import measure as measure_search  # benchmarks/search.py

                results[n]["search"] = measure_search(workdir / f"corpus-{n}" / "site")
                results[n]["search"].pop("first_query_files")
            print(f"N={n}: stages {stages_time(results[n]):.2f} s, MkDocs {results[n]['stages']['mkdocs'][0]:.2f} s",
                  file=sys.stderr)
        worst = worst_cases(workdir / "worst")
    served = None
    if not args.no_serve:
        from serve import measure as measure_serve  # benchmarks/serve.py

        served = measure_serve(HERE.parent, 5, 4.0)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
    print(table(results))
    if served:
        done = sorted(t for t in served["edit_s"] if t is not None)
        print(f"\nserve, three articles: an edit served in {statistics.median(done):.2f} s (median of {len(done)}; "
              f"slowest {done[-1]:.2f} s; {len(served['edit_s']) - len(done)} not served within 60 s)")
    for n in sorted(results):
        if over(results[n]):
            print(f"N={n}: pages over {PAGE_LIMIT // 1024} kB: " + ", ".join(
                f"{k} ({results[n]['page_sizes'][k][2]}, {results[n]['page_sizes'][k][1] / 1024:.0f} kB)" for k in over(results[n])))
    print(f"\nLoading matplotlib (once per build that draws a chart): {chart_import_seconds():.2f} s")
    print("\n| worst-case input | wall (s) | CPU (s) |\n| --- | ---: | ---: |")
    print("\n".join(f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, wall, cpu in worst))


if __name__ == "__main__":
    main()
