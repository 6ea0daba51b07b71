"""Whole pipeline without embeddings as bench/summary.py times it: `ikg ingest --no-index`, start included.

    .venv/bin/python bench/pipeline_speed.py [--reports 200] [--rounds 3] [--ikg PATH ...]

Writes `--reports` generated reports (bench/synthetic_reports.py, ~20k characters each) once, then, for
`--rounds` rounds, runs each given `ikg` executable (default: the one beside this Python) on them in a fresh
IKG_HOME, interleaved, so that two versions (e.g. a branch and main) see the same machine load. Prints
reports/s per run and the median and best per executable. Target (issue 11): >= 200 reports/s.
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


def timed_ingest(ikg: Path, home: Path, folder: Path) -> float:
    env = {**os.environ, "IKG_HOME": str(home)}
    start = time.perf_counter()
    subprocess.run([str(ikg), "ingest", "--no-index", str(folder)], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


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
        for r in range(args.rounds):
            for k, ikg in enumerate(executables):
                seconds = timed_ingest(ikg, Path(tmp) / f"home-{r}-{k}", folder)
                rates[ikg].append(args.reports / seconds)
                load = os.getloadavg()[0]
                print(
                    f"round {r + 1} {ikg}: {args.reports / seconds:6.1f} reports/s (load {load:.2f})",
                    flush=True,
                )
        for ikg, values in rates.items():
            print(
                f"{ikg}: median {statistics.median(values):6.1f}, best {max(values):6.1f} reports/s "
                f"over {len(values)} runs of {args.reports} reports"
            )


if __name__ == "__main__":
    main()
