"""`article-ingest extract` of one short text: wall and CPU time of the whole command, this tree against a git
ref (default `main`) in the same run, runs alternated so machine load hits both alike.

    python benchmarks/cli_startup.py [--ref main] [--runs 15]

The ref is exported with `git archive` into a temporary directory and run with the same interpreter and
virtualenv, from a neutral working directory (so `-m service.cli` cannot pick up a checkout from the cwd).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXT = "Parliament Passes the Budget\nThe parliament passed the budget on Tuesday after a long debate.\n"


def _run(tree: Path, text_file: Path, workdir: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", str(text_file)],
        cwd=workdir,
        check=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="main")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline, workdir = tmp / "baseline", tmp / "work"
        baseline.mkdir()
        workdir.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.ref], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
        text_file = tmp / "short.txt"
        text_file.write_text(TEXT)
        trees = {f"baseline {args.ref}": baseline, "this tree": REPO}
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for tree in trees.values():  # warm the page cache once each
            _run(tree, text_file, workdir)
        for _ in range(args.runs):
            for name, tree in trees.items():
                samples[name].append(_run(tree, text_file, workdir))
    medians = {}
    for name, runs in samples.items():
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        medians[name] = (wall, cpu)
        print(f"{name}: wall median {wall:.3f} s (min {min(w for w, _ in runs):.3f}), CPU median {cpu:.3f} s")
    (base_wall, base_cpu), (wall, cpu) = medians[f"baseline {args.ref}"], medians["this tree"]
    print(
        f"ratio this/baseline: wall {wall / base_wall:.2f}, CPU {cpu / base_cpu:.2f} "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
