"""`similar --issue` in process at scale, the current settings against others, alternated in one process.

    .venv/bin/python bench/similar_issue_speed.py [--issues 100000] [--rounds 4] [--queries 40]
        [--against-heads 30] [--against-batch 1000000000]

Builds the synthetic index of bench/summary.py once (three HNSW issue views and the problem types), then
times `IssueRanker.for_issue` for `--queries` stored issues per round, alternating the current settings
(`MUTUAL_DEPTH` head candidates, FAISS threads from `THREADED_BATCH` queries) with the `--against` ones,
so both see the same machine. The defaults compare with the settings before 2026-12-03 (30 heads, FAISS
always on one thread). Prints the p50 per round and setting.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_speed import synthetic_issue_vectors

import ikg.search.issue_ranking as ranking
import ikg.search.vector_index as vector_index
from ikg.search.index import IndexKind, IndexSet
from ikg.search.manifest import IndexConfig
from ikg.search.results import Mode
from ikg.search.threads import one_blas_thread


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issues", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--against-heads", type=int, default=30)
    ap.add_argument("--against-batch", type=int, default=10**9, help="FAISS threads from this batch size")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    index = IndexSet(IndexConfig("bench", 384))
    ids = [f"issue:{i}" for i in range(args.issues)]
    for kind in ranking.VIEWS:
        index.add(kind, ids, synthetic_issue_vectors(args.issues, rng))
    index.add(IndexKind.PROBLEM_TYPES, [f"type_{i}" for i in range(37)], synthetic_issue_vectors(37, rng))
    for kind in ranking.VIEWS:
        index.search(kind, synthetic_issue_vectors(1, rng)[0], 10)  # builds each FAISS index

    def p50_ms(first: int) -> float:
        times = []
        for i in range(first, first + args.queries):
            ranker = ranking.IssueRanker(index, mode=Mode.dense, depth=100)
            start = time.perf_counter()
            with one_blas_thread():
                ranker.for_issue(ids[(i * 97) % len(ids)])
            times.append(time.perf_counter() - start)
        return float(np.median(times)) * 1000

    settings = {
        f"current ({ranking.MUTUAL_DEPTH} heads, threads from {vector_index.THREADED_BATCH} queries)": (
            ranking.MUTUAL_DEPTH,
            vector_index.THREADED_BATCH,
        ),
        f"against ({args.against_heads} heads, threads from {args.against_batch} queries)": (
            args.against_heads,
            args.against_batch,
        ),
    }
    for rnd in range(args.rounds):
        for name, (heads, batch) in settings.items():
            ranking.MUTUAL_DEPTH, vector_index.THREADED_BATCH = heads, batch
            print(f"round {rnd + 1}  {name:<55} p50 {p50_ms(rnd * args.queries):6.1f} ms", flush=True)


if __name__ == "__main__":
    main()
