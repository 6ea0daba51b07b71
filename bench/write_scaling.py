"""Does a batch cost more when the graph is larger? Time per batch of 64 new reports vs reports stored.

    .venv/bin/python bench/write_scaling.py [--sizes 0,1000,5000] [--bolt-sizes 0,1000] [--repeats 3]

For each size N: a fresh store is filled with N synthetic reports (tests/graph/factory.py, ~15 issues and
~60 measures each, written 256 at a time), then `--repeats` batches of 64 further new reports are written,
one `write_reports` call (one transaction) each, and the median time per batch is printed (wall, and CPU
of this process: LadybugDB's threads count, the Bolt server's do not), with the
time of the stored-report lookup a batch does first (which reports of the graph the batch meets,
graph/base.py `_stored_reports`) when this ikg has it. Into LadybugStore and, for information, Neo4jStore
on a throwaway ArcadeDB Bolt server (tests/graph/bolt_server.py). The load average is printed first: the
machine may be shared, so compare figures of one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from graph_tests import load_graph_test_module  # bench/ is the script's folder
from neo4j import GraphDatabase

from ikg.graph import base
from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.neo4j_store import Neo4jStore

BATCH = 64
FILL_BATCH = 256


class _LookupClock:
    """Seconds spent in `_stored_reports` (absent in an ikg that read every stored report instead)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.present = hasattr(base, "_stored_reports")
        if self.present:
            inner = base._stored_reports

            def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return inner(*args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - start

            base._stored_reports = timed  # type: ignore[attr-defined]


def _run(
    name: str,
    open_store: Callable[[], CypherStore],
    factory: ModuleType,
    size: int,
    repeats: int,
    clock: _LookupClock,
) -> None:
    store = open_store()
    try:
        start = time.perf_counter()
        for i in range(0, size, FILL_BATCH):
            store.write_reports([factory.synthetic(k) for k in range(i, min(size, i + FILL_BATCH))])
        fill = time.perf_counter() - start
        times, cpus, lookups = [], [], []
        for r in range(repeats):
            graphs = [factory.synthetic(size + r * BATCH + k) for k in range(BATCH)]
            gc.collect()
            before = clock.seconds
            start, cpu = time.perf_counter(), time.process_time()
            summaries = store.write_reports(graphs)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            lookups.append((clock.seconds) - before)
            assert {s.status for s in summaries} == {"new"}
        reports = store.stats().reports
    finally:
        store.close()
    lookup = f", of which lookup {statistics.median(lookups) * 1000:6.1f} ms" if clock.present else ""
    print(
        f"{name:<27} {size:>5} stored (filled in {fill:6.1f} s): batch of {BATCH} new in "
        f"{statistics.median(times) * 1000:7.1f} ms median of {repeats} "
        f"({statistics.median(cpus) * 1000:6.1f} ms CPU)"
        f"{lookup}  [{reports} reports after]",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,5000", help="stored reports before the timed batches")
    parser.add_argument("--bolt-sizes", default="0,1000", help="the same for ArcadeDB; empty: skip it")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    factory = load_graph_test_module("factory")
    clock = _LookupClock()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}; ikg from {Path(base.__file__).parent.parent}")
    with tempfile.TemporaryDirectory(prefix="ikg-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = Path(tmp) / f"graph-{size}"
            _run(
                "LadybugStore (embedded)", lambda p=path: LadybugStore(p), factory, size, args.repeats, clock
            )
        bolt_sizes = [int(s) for s in args.bolt_sizes.split(",") if s]
        if not bolt_sizes:
            return
        server = load_graph_test_module("bolt_server").start_bolt_server(Path(tmp) / "arcadedb")
        try:

            def fresh() -> CypherStore:
                driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))
                with driver.session(database=server.database) as session:
                    session.run("MATCH (n) DETACH DELETE n").consume()
                return Neo4jStore(driver, database=server.database)

            for size in bolt_sizes:
                _run("Neo4jStore (ArcadeDB Bolt)", fresh, factory, size, args.repeats, clock)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
