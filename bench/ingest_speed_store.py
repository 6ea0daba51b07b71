"""Store-only write speed: synthetic ReportGraphs (~15 issues, ~60 measures each), written in batches.

    .venv/bin/python bench/ingest_speed_store.py [--reports 1000] [--batches 1,16,64,256] [--no-bolt]

For each batch size, into a fresh store, with `write_reports` (one transaction per batch):
- `new`: reports/s writing all reports; for LadybugStore also including `close()`, where LadybugDB folds its
  write-ahead log into the database file (a checkpoint), and the process CPU time per report;
- `unchanged`: rewriting 100 of them as they are (one digest read per batch);
- `replaced`: writing a changed version of 100 of them (their old subgraphs deleted in the same transaction).
Into LadybugStore and, for information, Neo4jStore on a throwaway ArcadeDB Bolt server (started by
tests/graph/bolt_server.py, the same code the tests use). Target: >= 200 new reports/s embedded. The machine
may be shared: the load average is printed first, and CPU ms/report is less sensitive to it than wall time.
The graphs are built up front and then frozen out of Python's garbage collector (`gc.freeze`): an ingest
holds one batch of graphs at a time, not 1,000, and re-scanning them all cost this benchmark ~10%.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from graph_tests import load_graph_test_module  # bench/ is the script's folder
from neo4j import GraphDatabase

from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import ReportGraph
from ikg.graph.neo4j_store import Neo4jStore

REWRITES = 100


def _write(store: CypherStore, graphs: Sequence[ReportGraph], batch: int, status: str) -> float:
    """Seconds to write `graphs` in batches; checks every summary has the expected status."""
    start = time.perf_counter()
    for i in range(0, len(graphs), batch):
        summaries = store.write_reports(graphs[i : i + batch])
        assert {s.status for s in summaries} == {status}, {s.status for s in summaries}
    return time.perf_counter() - start


def _run(
    name: str,
    open_store: Callable[[], CypherStore],
    graphs: list[ReportGraph],
    changed: list[ReportGraph],
    batch: int,
    embedded: bool,
) -> None:
    again, changed = graphs[:REWRITES], changed[: len(graphs)]
    store = open_store()
    closed = False
    try:
        cpu = time.process_time()
        seconds = _write(store, graphs, batch, "new")
        cpu = time.process_time() - cpu
        unchanged = _write(store, again, batch, "unchanged")
        replaced = _write(store, changed, batch, "replaced")
        stats = store.stats()
        start = time.perf_counter()
        store.close()
        closing = time.perf_counter() - start
        closed = True
    finally:
        if not closed:
            store.close()
    n = len(graphs)
    line = f"{name:<27} batch {batch:>4}: new {n:>5} in {seconds:6.2f} s = {n / seconds:6.1f} reports/s"
    if embedded:
        line += f" ({n / (seconds + closing):6.1f} with close, {cpu * 1000 / n:5.2f} CPU ms/report)"
    line += (
        f"; unchanged {len(again) / unchanged:7.1f}/s; replaced {len(changed) / replaced:6.1f}/s"
        f"  [{stats.issues} issues, {stats.measures} measures, {sum(stats.edges.values())} edges]"
    )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--batches", default="1,16,64,256", help="batch sizes, comma-separated")
    parser.add_argument("--bolt-reports", type=int, default=200, help="reports for the (slower) Bolt runs")
    parser.add_argument("--no-bolt", action="store_true", help="skip the ArcadeDB Bolt runs")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]

    factory = load_graph_test_module("factory")
    graphs = [factory.synthetic(i) for i in range(args.reports)]
    # Same files (so the same report ids), one issue fewer: another digest, so each replaces its original.
    changed = [factory.synthetic(i, issues=14) for i in range(REWRITES)]
    gc.freeze()
    measures = sum(len(g.measures) for g in graphs) / len(graphs)
    issues = sum(len(g.issues) for g in graphs) / len(graphs)
    edges = sum(len(g.edges) for g in graphs) / len(graphs)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{len(graphs)} synthetic reports, {issues:.0f} issues, {measures:.0f} measures, {edges:.0f} edges "
        f"each; {os.cpu_count()} CPUs, load average {load}"
    )

    with tempfile.TemporaryDirectory(prefix="ikg-bench-") as tmp:
        for run, batch in enumerate(batches):
            path = Path(tmp) / f"graph-{run}"
            _run("LadybugStore (embedded)", lambda p=path: LadybugStore(p), graphs, changed, batch, True)
        if args.no_bolt:
            return
        server = load_graph_test_module("bolt_server").start_bolt_server(Path(tmp) / "arcadedb")
        try:

            def fresh() -> CypherStore:
                driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))
                with driver.session(database=server.database) as session:
                    session.run("MATCH (n) DETACH DELETE n").consume()
                return Neo4jStore(driver, database=server.database)

            bolt_graphs = graphs[: args.bolt_reports]
            for batch in batches:
                _run("Neo4jStore (ArcadeDB Bolt)", fresh, bolt_graphs, changed, batch, False)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
