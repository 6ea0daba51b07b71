"""Whole pipeline without embeddings as bench/summary.py times it: `ikg ingest --no-index`, start included.

    .venv/bin/python bench/pipeline_speed.py [--reports 200] [--rounds 3] [--ikg PATH ...]

Writes `--reports` generated reports (bench/synthetic_reports.py, ~20k characters each) once, then, for
`--rounds` rounds, runs each given `ikg` executable (default: the one beside this Python) on them in a fresh
IKG_HOME, interleaved, so that two versions (e.g. a branch and main) see the same machine load. Prints
reports/s per run and the median and best per executable, and the CPU ms per report of the whole process
tree (a second run of the same command), which a shared machine disturbs less than wall time. Target
(issue 11): >= 200 reports/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_reports import synthetic_reports

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "reports"


# The same command run by the Python beside `ikg`, which then prints the CPU seconds of the whole process
# tree: its own (LadybugDB's threads included) and its children's. A fork server's workers are its
# children, not ikg's, so the server is stopped first to be counted (multiprocessing's private API).
_CPU_DRIVER = """
import resource, sys, time
from ikg.cli.app import main
sys.argv = ["ikg", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
from multiprocessing import forkserver
forkserver._forkserver._stop()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.process_time() + children.ru_utime + children.ru_stime)
"""


def timed_ingest(ikg: Path, home: Path, folder: Path) -> tuple[float, float]:
    """Seconds of a timed `ikg ingest --no-index`, and CPU seconds of the same run by the CPU driver."""
    env = {**os.environ, "IKG_HOME": str(home)}
    command = ["ingest", "--no-index", str(folder)]
    start = time.perf_counter()
    subprocess.run([str(ikg), *command], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    env["IKG_HOME"] = str(home.with_name(home.name + "-cpu"))
    python = str(ikg.with_name("python"))
    out = subprocess.run([python, "-c", _CPU_DRIVER, *command], env=env, check=True, capture_output=True)
    return seconds, float(out.stdout.decode().split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ikg", type=Path, action="append", help="ikg executable (repeat to compare)")
    args = ap.parse_args()
    executables = args.ikg or [Path(sys.executable).with_name("ikg")]
    with tempfile.TemporaryDirectory(prefix="ikg-pipeline-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for i, text in enumerate(synthetic_reports(CORPUS, args.reports)):
            (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        rates: dict[Path, list[float]] = {ikg: [] for ikg in executables}
        cpus: dict[Path, list[float]] = {ikg: [] for ikg in executables}
        for r in range(args.rounds):
            for k, ikg in enumerate(executables):
                seconds, cpu = timed_ingest(ikg, Path(tmp) / f"home-{r}-{k}", folder)
                rates[ikg].append(args.reports / seconds)
                cpus[ikg].append(cpu * 1000 / args.reports)
                load = os.getloadavg()[0]
                print(
                    f"round {r + 1} {ikg}: {args.reports / seconds:6.1f} reports/s, "
                    f"{cpus[ikg][-1]:5.2f} CPU ms/report (load {load:.2f})",
                    flush=True,
                )
        for ikg, values in rates.items():
            cpu = statistics.median(cpus[ikg])
            print(
                f"{ikg}: median {statistics.median(values):6.1f}, best {max(values):6.1f} reports/s; "
                f"median {cpu:5.2f} CPU ms/report (on 2 idle cores at best {2000 / cpu:5.1f} reports/s) "
                f"over {len(values)} runs of {args.reports} reports"
            )


if __name__ == "__main__":
    main()
