"""Benchmark: the analysis stages alone (pipeline.gather, no rendering, no MkDocs) on one project, in this process.

Prints one JSON line: the CPU seconds of each stage (CPU time: on a shared machine wall time measures the other
jobs), their total, the peak resident memory of the process (MB) and what each stage did.

    python benchmarks/generate.py 3000 /tmp/c3000 && python benchmarks/stages.py /tmp/c3000
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    """Gather the project named on the command line; print its stages' CPU times and the peak memory."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from build_dossier.pipeline import Clock, Project, gather

    clock = Clock()
    start = time.process_time()
    gather(Project(Path(sys.argv[1])), clock=clock)
    out: dict = {t.stage: round(t.cpu_seconds, 3) for t in clock.timings}
    out["total"] = round(time.process_time() - start, 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: kB
    out["detail"] = {t.stage: t.detail for t in clock.timings}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
