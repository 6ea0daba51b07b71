"""共性问题 clusters against the gold groups of similar issues: ARI and purity per threshold.

Clusters are computed over every issue of the corpus (as `ikg common` does, with min-units 2); the figures
compare them with the gold groups on the gold members only (an issue in two gold groups counts in its first).
Purity alone rewards singletons, ARI alone can favour one big cluster: read both, with the cluster counts.

    .venv/bin/python bench/common_issues.py [--gold DIR] [--corpus DIR] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from similar_issues import (  # bench/ is the script's folder
    default_gold,
    indexed,
    ingest_corpus,
    issue_ids_by_gold_key,
)

from ikg.analysis.common import DEFAULT_THRESHOLD, NEIGHBOURS, cluster_ids
from ikg.analysis.facts import unit_key
from ikg.analysis.metrics import adjusted_rand_index, purity
from ikg.analysis.vectors import centred_vectors, neighbour_index
from ikg.graph.ladybug_store import LadybugStore

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=default_gold())
    ap.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    ap.add_argument("--neighbours", type=int, default=NEIGHBOURS, help="mutual neighbours considered")
    ap.add_argument("--home", type=Path, default=Path.home() / ".cache" / "ikg-bench", help="model cache")
    args = ap.parse_args()

    groups = json.loads((args.gold / "similar_issues.json").read_text(encoding="utf-8"))["groups"]
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        keys = issue_ids_by_gold_key(ingest_corpus(args.corpus, store))
        gold: dict[str, int] = {}
        for g, group in enumerate(groups):
            for m in group["members"]:
                gold.setdefault(keys[(m["file"], int(m["category_index"]), str(m["number"]))], g)
        started = time.perf_counter()
        index, _ = indexed(store, args.home, Path(tmp) / "index")
        facts = store.issue_facts()
        store.close()
    ids = [f.issue.id for f in facts]
    units = [unit_key(f.report) for f in facts]
    vectors = centred_vectors(index, ids)
    neighbours = neighbour_index(index, ids, vectors)
    print(f"mutual neighbours: {args.neighbours}")
    print(
        f"{len(facts)} issues, {len(groups)} gold groups with {len(gold)} members; model load + index "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    print(f"{'threshold':>9} {'ARI':>6} {'purity':>7} {'clusters≥2':>10} {'largest':>8} {'gold in ≥2':>10}")
    for threshold in THRESHOLDS:
        started = time.perf_counter()
        clusters = cluster_ids(
            ids, units, vectors, neighbours, threshold=threshold, neighbours=args.neighbours
        )
        label = {ids[p]: n for n, c in enumerate(clusters) for p in c}
        members = sorted(gold)
        ari = adjusted_rand_index([gold[i] for i in members], [label[i] for i in members])
        pure = purity([gold[i] for i in members], [label[i] for i in members])
        big = [c for c in clusters if len(c) >= 2]
        clustered = sum(1 for i in members if any(ids[p] == i for c in big for p in c))
        mark = "  <- default" if threshold == DEFAULT_THRESHOLD else ""
        print(
            f"{threshold:>9.2f} {ari:>6.3f} {pure:>7.3f} {len(big):>10} {max(map(len, clusters)):>8} "
            f"{clustered:>10}{mark}"
        )


if __name__ == "__main__":
    main()
