"""`similar --issue` in process at scale, the current settings against others, alternated in one process.

    .venv/bin/python bench/similar_issue_speed.py [--issues 100000] [--rounds 4] [--queries 40]
        [--against-heads 30] [--faiss-threads]

Builds the synthetic index of bench/summary.py once (three HNSW issue views and the problem types), then
times `IssueRanker.for_issue` for `--queries` stored issues per round, alternating the current
`MUTUAL_DEPTH` head candidates with `--against-heads` (and, with `--faiss-threads`, the current heads with
FAISS searching on all its threads instead of one), so all see the same machine. Prints the p50 per round
and setting.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_speed import synthetic_issue_index, synthetic_issue_vectors

import ikg.search.issue_ranking as ranking
import ikg.search.vector_index as vector_index
from ikg.search.manifest import IndexConfig
from ikg.search.results import Mode
from ikg.search.threads import one_blas_thread


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issues", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--against-heads", type=int, default=30)
    ap.add_argument("--faiss-threads", action="store_true", help="also: FAISS on all its threads")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    index, ids = synthetic_issue_index(IndexConfig("bench", 384), args.issues, rng)
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

    one_thread = vector_index._one_faiss_thread
    settings = {
        f"current ({ranking.MUTUAL_DEPTH} heads)": (ranking.MUTUAL_DEPTH, one_thread),
        f"against ({args.against_heads} heads)": (args.against_heads, one_thread),
    }
    if args.faiss_threads:
        threaded = f"current ({ranking.MUTUAL_DEPTH} heads), FAISS threads"
        settings[threaded] = (ranking.MUTUAL_DEPTH, nullcontext)
    for rnd in range(args.rounds):
        for name, (heads, threads) in settings.items():
            ranking.MUTUAL_DEPTH, vector_index._one_faiss_thread = heads, threads
            print(f"round {rnd + 1}  {name:<40} p50 {p50_ms(rnd * args.queries):6.1f} ms", flush=True)


if __name__ == "__main__":
    main()
