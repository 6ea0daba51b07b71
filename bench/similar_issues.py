"""Recall@5 and MRR of `ikg similar --issue` on the gold groups of similar issues, per search mode.

For every member of every group in similar_issues.json, the issue is used as the query; the relevant answers
are the members of its groups that come from other reports. Prints dense, lexical and hybrid side by side.

    .venv/bin/python bench/similar_issues.py [--gold DIR] [--corpus DIR] [--home DIR] [--top 5]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import Rel
from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document
from ikg.search.embedder import DEFAULT_MODEL, resolve_model
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig
from ikg.search.passage_model import load_passage_embedder
from ikg.search.precision import PRECISIONS
from ikg.search.results import Mode
from ikg.search.similar import similar_issues
from ikg.search.sync import sync_index

REPO = Path(__file__).resolve().parents[1]


def default_gold() -> Path:
    shared = REPO.parent / "shared" / "gold"
    return shared if shared.is_dir() else REPO / "tests" / "fixtures" / "gold"


def issue_ids_by_gold_key(corpus: Path, store: LadybugStore) -> dict[tuple[str, int, str], str]:
    """(file name, 1-based category index, printed number) -> issue id, writing each report into `store`."""
    keys: dict[tuple[str, int, str], str] = {}
    for path in sorted(corpus.glob("*.txt")):
        graph = build_graph(load_document(path))
        store.write_report(graph)
        ordinal = {c.id: c.ordinal for c in graph.categories}
        number = {i.id: i.number for i in graph.issues}
        for e in graph.edges:
            if e.rel == Rel.HAS_ISSUE:
                keys[(path.name, ordinal[e.src], number[e.dst])] = e.dst
    return keys


def relevant_sets(
    groups: list[dict[str, object]], keys: dict[tuple[str, int, str], str]
) -> dict[str, set[str]]:
    """For each member issue id: the ids of members of its groups in other reports."""
    files: dict[str, str] = {}
    members: list[list[str]] = []
    for group in groups:
        ids = []
        for m in group["members"]:  # type: ignore[attr-defined]
            key = (m["file"], int(m["category_index"]), str(m["number"]))
            if key not in keys:
                raise SystemExit(f"gold member {key} not found among parsed issues")
            ids.append(keys[key])
            files[keys[key]] = m["file"]
        members.append(ids)
    relevant: dict[str, set[str]] = defaultdict(set)
    for ids in members:
        for q in ids:
            relevant[q].update(i for i in ids if files[i] != files[q])
    return {q: r for q, r in relevant.items() if r}


def evaluate(
    store: LadybugStore, index: IndexSet, relevant: dict[str, set[str]], mode: Mode, top: int
) -> tuple[list[float], list[float]]:
    """Per query: the recall at `top` and the reciprocal rank of the first relevant hit."""
    recalls, rranks = [], []
    for query, answers in relevant.items():
        result = similar_issues(store, index, issue_id=query, top=max(top, 50), mode=mode)
        ranked = [h.issue.id for g in result.groups for h in g.hits]
        ranked.sort(key=lambda i: -next(h.score for g in result.groups for h in g.hits if h.issue.id == i))
        recalls.append(len(answers & set(ranked[:top])) / len(answers))
        first = next((n for n, i in enumerate(ranked, start=1) if i in answers), None)
        rranks.append(1 / first if first else 0.0)
    return recalls, rranks


def interval(values: list[float], resamples: int = 2000) -> str:
    """The 95% bootstrap interval of the mean over queries: how far 64 queries pin a figure down."""
    rng = np.random.default_rng(0)
    data = np.array(values)
    means = data[rng.integers(0, len(data), (resamples, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return f"{low:.2f}-{high:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=default_gold())
    ap.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    ap.add_argument("--home", type=Path, default=Path.home() / ".cache" / "ikg-bench", help="model cache")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--precision", choices=PRECISIONS, default="auto", help="how the passage model computes")
    args = ap.parse_args()

    groups = json.loads((args.gold / "similar_issues.json").read_text(encoding="utf-8"))["groups"]
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        keys = issue_ids_by_gold_key(args.corpus, store)
        relevant = relevant_sets(groups, keys)
        started = time.perf_counter()
        embedder = load_passage_embedder(
            resolve_model(DEFAULT_MODEL, args.home),
            precision=args.precision,
            home=args.home,
            cache=False,
        )
        index = IndexSet(IndexConfig(embedder.name, embedder.dim))
        sync_index(store, index, lambda: embedder, Path(tmp) / "index")
        print(
            f"{len(groups)} groups, {len(relevant)} queries, "
            f"{getattr(embedder, 'precision', args.precision)}; "
            f"model load + index build "
            f"{time.perf_counter() - started:.1f} s\n"
        )
        print(f"{'mode':<10}{'Recall@' + str(args.top):>10}{'MRR':>8}   95% bootstrap intervals")
        for mode in (Mode.dense, Mode.lexical, Mode.hybrid):
            recalls, rranks = evaluate(store, index, relevant, mode, args.top)
            recall, mrr = float(np.mean(recalls)), float(np.mean(rranks))
            print(
                f"{mode.value:<10}{recall:>10.3f}{mrr:>8.3f}   "
                f"Recall {interval(recalls)}, MRR {interval(rranks)}"
            )
        store.close()


if __name__ == "__main__":
    main()
