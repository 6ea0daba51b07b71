"""Store-only write speed: synthetic ReportGraphs (~15 issues, ~60 measures each), one transaction each.

    .venv/bin/python bench/ingest_speed_store.py [--reports 1000] [--no-bolt]

Prints reports/s into LadybugStore and, for information, into Neo4jStore on a throwaway ArcadeDB Bolt server
(started by tests/graph/bolt_server.py, the same code the tests use). Target: >= 200 reports/s embedded.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from neo4j import GraphDatabase

from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import ReportGraph
from ikg.graph.neo4j_store import Neo4jStore

TESTS = Path(__file__).resolve().parent.parent / "tests" / "graph"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ikg_tests_graph_{name}", TESTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _write_all(store: CypherStore, graphs: list[ReportGraph]) -> float:
    start = time.perf_counter()
    for graph in graphs:
        store.write_report(graph)
    return time.perf_counter() - start


def _report(name: str, store: CypherStore, graphs: list[ReportGraph]) -> None:
    seconds = _write_all(store, graphs)
    stats = store.stats()
    print(
        f"{name:<28} {len(graphs):>5} reports in {seconds:7.2f} s = {len(graphs) / seconds:7.1f} reports/s "
        f"({stats.issues} issues, {stats.measures} measures, {sum(stats.edges.values())} edges)"
    )
    rewrite = _write_all(store, graphs[:100])  # unchanged digests: one read each
    print(
        f"{name + ' (unchanged)':<28} {100:>5} reports in {rewrite:7.2f} s = {100 / rewrite:7.1f} reports/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--bolt-reports", type=int, default=200, help="reports for the (slower) Bolt run")
    parser.add_argument("--no-bolt", action="store_true", help="skip the ArcadeDB Bolt run")
    args = parser.parse_args()

    factory = _load("factory")
    graphs = [factory.synthetic(i) for i in range(args.reports)]
    measures = sum(len(g.measures) for g in graphs) / len(graphs)
    issues = sum(len(g.issues) for g in graphs) / len(graphs)
    print(f"{len(graphs)} synthetic reports, {issues:.0f} issues and {measures:.0f} measures each")

    with tempfile.TemporaryDirectory(prefix="ikg-bench-") as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        try:
            _report("LadybugStore (embedded)", store, graphs)
        finally:
            store.close()
        if args.no_bolt:
            return
        server = _load("bolt_server").start_bolt_server(Path(tmp) / "arcadedb")
        try:
            driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))
            bolt_store = Neo4jStore(driver, database=server.database)
            try:
                _report("Neo4jStore (ArcadeDB Bolt)", bolt_store, graphs[: args.bolt_reports])
            finally:
                bolt_store.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
