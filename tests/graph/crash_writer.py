"""Child process of test_crash_atomicity: writes reports into a LadybugStore until it is killed.

    python crash_writer.py DB_DIR [BATCH]

Without BATCH, one `write_report` at a time: report i is `original(i)`; after every third report the
previous one is replaced by its smaller variant (`variant(i)`), so a kill can also land inside a
replacement. Prints `WRITING <file>` before each write and `WROTE <file>` after its commit.

With BATCH, one `write_reports` per batch: BATCH new originals plus the variants of the previous batch's
first two reports (replacements inside the batch). Prints `WRITING <file>:<version> …` before each batch
and `WROTE` after its commit.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import ReportGraph


def _factory() -> ModuleType:
    """tests/graph/factory.py by path; reused when the test process already loaded it."""
    name = "ikg_tests_graph_factory"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("factory.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


factory = _factory()


def original(i: int) -> ReportGraph:
    return factory.synthetic(i, issues=9, measures=4)  # type: ignore[no-any-return]


def variant(i: int) -> ReportGraph:
    return factory.synthetic(i, issues=6, measures=3)  # type: ignore[no-any-return]


def batch(n: int, size: int) -> list[tuple[int, str]]:
    """Batch number n: (report index, version) pairs."""
    replaced = [((n - 1) * size + k, "variant") for k in range(2)] if n else []
    return [(n * size + k, "original") for k in range(size)] + replaced


def graph(i: int, version: str) -> ReportGraph:
    return original(i) if version == "original" else variant(i)


def main_batched(path: Path, size: int) -> None:
    store = LadybugStore(path)
    for n in range(100_000):
        items = batch(n, size)
        graphs = [graph(i, version) for i, version in items]  # built before the marker, as below
        print("WRITING " + " ".join(f"{i}:{version}" for i, version in items), flush=True)
        store.write_reports(graphs)
        print("WROTE", flush=True)


def main(path: Path) -> None:
    store = LadybugStore(path)
    for i in range(100_000):
        # Graphs are built before the marker, so a kill soon after it lands inside the transaction.
        graphs = [original(i), *([variant(i - 1)] if i % 3 == 2 else [])]
        for g in graphs:
            print(f"WRITING {g.report.file}", flush=True)
            store.write_report(g)
            print(f"WROTE {g.report.file}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        main_batched(Path(sys.argv[1]), int(sys.argv[2]))
    else:
        main(Path(sys.argv[1]))
