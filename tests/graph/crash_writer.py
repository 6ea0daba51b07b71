"""Child process of test_crash_atomicity: writes reports into a LadybugStore until it is killed.

    python crash_writer.py DB_DIR

Report i is `factory.synthetic(i)`; after every third report the previous one is replaced by its smaller
variant (`variant(i)`), so a kill can also land inside a replacement. Prints `WRITING <file>` before each
write and `WROTE <file>` after its commit.
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
    main(Path(sys.argv[1]))
