"""Ingest speed without embeddings: parse + build + write of generated reports, in report batches.

    .venv/bin/python bench/ingest_speed.py [--reports 1000] [--batch 64] [--bolt-reports 200] [--no-bolt]

The reports come from bench/synthetic_reports.py (the example reports with units renamed and issues
shuffled, ~23 KB each). Prints reports/s for parsing + graph building alone, for writing alone, and for the
whole pipeline into LadybugStore (the embedded default), then, for information, the same into Neo4jStore on
a throwaway ArcadeDB Bolt server (started by tests/graph/bolt_server.py). Target: >= 200 reports/s embedded.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from neo4j import GraphDatabase
from synthetic_reports import synthetic_reports

from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import ReportGraph
from ikg.graph.neo4j_store import Neo4jStore
from ikg.ingest.build import build_graph
from ikg.ingest.job import ingest_files
from ikg.ingest.parse import parse_report

REPO = Path(__file__).resolve().parents[1]


def parse_all(texts: list[str]) -> tuple[list[ReportGraph], float]:
    start = time.perf_counter()
    graphs = [
        build_graph(parse_report(t, file=f"/synthetic/report_{i:05d}.txt")) for i, t in enumerate(texts)
    ]
    return graphs, time.perf_counter() - start


def write_all(store: CypherStore, graphs: list[ReportGraph], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(graphs), batch):
        summaries = store.write_reports(graphs[i : i + batch])
        assert all(s.status == "new" for s in summaries)
    return time.perf_counter() - start


def measure_job(
    name: str, open_store: Callable[[], CypherStore], texts: list[str], folder: Path, workers: int
) -> None:
    """`ingest_files` as `ikg ingest --no-index` runs it: read + parse (in `workers` processes) + write."""
    folder.mkdir(parents=True)
    for i, text in enumerate(texts):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    store = open_store()
    try:
        start = time.perf_counter()
        result = ingest_files([folder], store, workers=workers)
        elapsed = time.perf_counter() - start
    finally:
        store.close()
    assert result.count("new") == len(texts) and not result.failures
    print(f"  ingest_files, {workers} parse worker(s): {len(texts) / elapsed:8.1f} reports/s")


def measure(name: str, open_store: Callable[[], CypherStore], texts: list[str], batch: int) -> None:
    graphs, parse_s = parse_all(texts)
    store = open_store()
    try:
        write_s = write_all(store, graphs, batch)
        issues = store.stats().issues
    finally:
        store.close()
    n = len(texts)
    print(f"{name}: {n} reports, {issues} issues, batch {batch}")
    print(f"  parse + build     {n / parse_s:8.1f} reports/s")
    print(f"  write             {n / write_s:8.1f} reports/s")
    print(f"  whole pipeline    {n / (parse_s + write_s):8.1f} reports/s   (target >= 200 embedded)")


def start_bolt(root: Path) -> object:
    spec = importlib.util.spec_from_file_location(
        "ikg_bench_bolt", REPO / "tests" / "graph" / "bolt_server.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.start_bolt_server(root)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--bolt-reports", type=int, default=200)
    ap.add_argument("--no-bolt", action="store_true")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    texts = synthetic_reports(REPO / "examples" / "reports", args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        measure("LadybugStore", lambda: LadybugStore(Path(tmp) / "graph"), texts, args.batch)
        for workers in (1, os.cpu_count() or 1):
            root = Path(tmp) / f"job{workers}"
            measure_job(
                "LadybugStore", lambda r=root: LadybugStore(r / "graph"), texts, root / "reports", workers
            )
        if args.no_bolt:
            return
        server = start_bolt(Path(tmp) / "arcadedb")
        try:
            auth = (server.user, server.password)  # type: ignore[attr-defined]
            driver = GraphDatabase.driver(server.uri, auth=auth)  # type: ignore[attr-defined]
            store = lambda: Neo4jStore(driver, database=server.database)  # type: ignore[attr-defined]  # noqa: E731
            measure("Neo4jStore on ArcadeDB (Bolt)", store, texts[: args.bolt_reports], args.batch)
        finally:
            server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
