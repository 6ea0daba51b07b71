"""What the issue-9 watchdog costs: opening the embedded graph unchanged, and once it was changed.

    .venv/bin/python bench/store_open.py [--reports 200] [--rounds 5]

Builds a graph of generated reports (bench/synthetic_reports.py), closes it (the writer seals it), then
times, per open + close (median of the rounds): a reader of the unchanged file (the common case: no child
process), the seal check alone, and the first open of a changed file by a reader (a child reads every
table) and by a writer (the child also deletes everything in a throw-away copy). The file is "changed" by
moving its modification time, as any write would. Prints the file size and each figure; no test asserts
them. Cold `ikg stats` as a whole is timed by running the command (see the README).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synthetic_reports import synthetic_graphs

from ikg.graph.ladybug_store import DB_FILE, LadybugStore
from ikg.graph.probe import probe_seconds
from ikg.graph.seal import file_mark, read_seal

REPO = Path(__file__).resolve().parents[1]


def _median(rounds: int, once: Callable[[], None], before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(rounds):
        before()
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    graphs = synthetic_graphs(REPO / "examples" / "reports", args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph"
        store = LadybugStore(path)
        for i in range(0, len(graphs), args.batch):
            store.write_reports(graphs[i : i + args.batch])
        store.close()
        db = path / DB_FILE
        size = db.stat().st_size

        def touch() -> None:  # what any other program's write does to the seal's view of the file
            st = db.stat()
            os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 1000))

        def open_close(read_only: bool) -> Callable[[], None]:
            return lambda: LadybugStore(path, read_only=read_only).close()

        unchanged = _median(args.rounds, open_close(True))
        check = _median(args.rounds * 20, lambda: (read_seal(path), file_mark(path, DB_FILE)))
        read_probe = _median(args.rounds, open_close(True), touch)
        write_probe = _median(args.rounds, open_close(False), touch)
        print(f"graph: {args.reports} reports, {size / 2**20:.1f} MiB file")
        print(f"reader open+close, unchanged file   {unchanged * 1000:8.1f} ms  (no child)")
        print(f"  of which the seal check           {check * 1000:8.3f} ms")
        print(f"reader open+close, changed file     {read_probe * 1000:8.1f} ms  (child reads every table)")
        print(f"writer open+close, changed file     {write_probe * 1000:8.1f} ms  (… and a trial on a copy)")
        limit_r, limit_w = probe_seconds(size, write=False), probe_seconds(size, write=True)
        print(f"time limits for this size: reader {limit_r:.1f} s, writer {limit_w:.1f} s")


if __name__ == "__main__":
    main()
