"""How the embedded graph file grows over delete / re-ingest / similar-edge cycles; what compaction returns.

    .venv/bin/python bench/store_space.py [REPORT_DIR] [--cycles N]

Each cycle deletes every report, ingests them again and rewrites the SIMILAR_TO edges (as `ikg similar
--all --write-edges` does, here with every pair of issues of the same category, so no model is needed).
Prints the graph directory's size after each cycle, then compacts (`ikg doctor --compact`) and prints the
size before and after.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import combinations
from pathlib import Path

from ikg.graph.compact import compact, store_bytes
from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.job import ingest_files

REPO = Path(__file__).resolve().parents[1]


def _similar_pairs(store: LadybugStore) -> list[tuple[str, str, float]]:
    by_category: dict[str, list[str]] = {}
    for t in store.issue_texts():
        by_category.setdefault(t.category, []).append(t.id)
    return [(a, b, 0.9) for ids in by_category.values() for a, b in combinations(sorted(ids), 2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="?", type=Path, default=REPO / "examples" / "reports")
    parser.add_argument("--cycles", type=int, default=5)
    args = parser.parse_args()
    mib = 1 << 20
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph"
        store = LadybugStore(path)
        ingest_files([args.reports], store)
        store.close()
        print(f"{'cycle':>5}  {'graph MiB':>9}  {'reports':>7}")
        print(f"{0:>5}  {store_bytes(path) / mib:9.1f}  {'':>7}")
        for cycle in range(1, args.cycles + 1):
            store = LadybugStore(path)
            for ref in store.reports():
                store.delete_report(ref.id)
            ingest_files([args.reports], store)
            store.write_similar(_similar_pairs(store))
            reports = len(store.reports())
            store.close()
            print(f"{cycle:>5}  {store_bytes(path) / mib:9.1f}  {reports:>7}")
        start = time.perf_counter()
        result = compact(path)
        took = time.perf_counter() - start
        print(
            f"compact: {result.before / mib:.1f} MiB -> {result.after / mib:.1f} MiB "
            f"({result.nodes} nodes, {result.edges} edges copied in {took:.2f} s)"
        )


if __name__ == "__main__":
    main()
