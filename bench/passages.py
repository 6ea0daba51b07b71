"""Print what one generated report costs the embedder: passages per index kind, windows, long-passage
equivalents, and how many are exact duplicates within a report and across the reports (the cache's share).

    .venv/bin/python bench/passages.py [--reports 50]

The reports come from bench/synthetic_reports.py, parsed and written into a throwaway LadybugStore; the
passages are those `sync_index` would embed (`wanted_passages`), cut into windows as the embedder cuts them.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from synthetic_reports import synthetic_reports

from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.build import build_graph
from ikg.ingest.parse import parse_report
from ikg.search.embedder import WINDOW_CHARS, split_windows
from ikg.search.index import IndexKind
from ikg.search.sync import wanted_passages

REPO = Path(__file__).resolve().parents[1]
LONG = 200  # characters of the "long passage" that bench/embed_speed.py times
PREFIX = "passage: "


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=50)
    args = ap.parse_args()
    texts = synthetic_reports(REPO / "examples" / "reports", args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        try:
            store.write_reports(
                [build_graph(parse_report(t, file=f"/synthetic/r{i:05d}.txt")) for i, t in enumerate(texts)]
            )
            wanted = wanted_passages(store)
        finally:
            store.close()
    n = len(texts)
    chars = sum(len(t) for t in texts) / n
    print(f"{n} generated reports, {chars:,.0f} characters each on average")
    heads = ("passages", "windows", "chars", "long eq.", "unique")
    print(f"{'per report':14s} " + " ".join(f"{h:>9s}" for h in heads))
    totals = Counter[str]()
    for kind, passages in wanted.items():
        if kind == IndexKind.PROBLEM_TYPES:
            continue  # a fixed list embedded once per index, not per report
        bodies = list(passages.values())
        _, windows = split_windows([PREFIX + b for b in bodies], len(PREFIX), WINDOW_CHARS)
        size = sum(len(w) for w in windows)
        row = {
            "passages": len(bodies) / n,
            "windows": len(windows) / n,
            "chars": size / n,
            "long": size / LONG / n,
            "unique": len(set(bodies)) / n,
        }
        totals.update(row)
        print(
            f"{kind.value:14s} {row['passages']:9.1f} {row['windows']:9.1f} {row['chars']:9.0f}"
            f" {row['long']:9.1f} {row['unique']:9.1f}"
        )
    print(
        f"{'all':14s} {totals['passages']:9.1f} {totals['windows']:9.1f} {totals['chars']:9.0f}"
        f" {totals['long']:9.1f} {totals['unique']:9.1f}"
    )
    print("unique: distinct texts over all reports / reports (the cache embeds each once)")


if __name__ == "__main__":
    main()
