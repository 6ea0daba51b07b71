"""Search quality per mode: graded analyst text queries (nDCG@10, Recall@10, MRR) and the gold groups.

1. Text queries (tests/fixtures/queries/analyst_queries.json): for issues and for measures, on the tune and
   the held-out half, nDCG@10, Recall@10 and MRR of every mode (`ikg search` / `ikg measures match`).
2. Gold groups (similar_issues.json): every member issue is the query of `ikg similar --issue`; the relevant
   answers are the members of its groups that come from other reports; Recall@5 and MRR.
3. Two more issue-to-issue sets, so that no parameter is chosen on the gold groups alone:
   - analyst pairs: the issue targets of one text query graded 2 or 3, taken pairwise across reports;
   - paraphrase pairs (tests/fixtures/paraphrase): synthetic issues restating one example issue each in
     other words, ingested after the figures above; the answer is the issue restated.

    .venv/bin/python bench/similar_issues.py [--gold DIR] [--queries FILE] [--corpus DIR] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document
from ikg.search.embedder import DEFAULT_MODEL, Embedder, resolve_model
from ikg.search.evaluation import (
    KINDS,
    SPLITS,
    Key,
    TextQuery,
    expanded_lexical_ranker,
    graph_keys,
    load_queries,
    mean,
    mode_ranker,
)
from ikg.search.evaluation import evaluate as evaluate_text
from ikg.search.fusion import PLAIN_TEXT_FUSION
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


def ingest_corpus(corpus: Path, store: LadybugStore) -> dict[Key, str]:
    """Stable key (file, category index, number[, measure ordinal]) -> node id, writing each report."""
    keys: dict[Key, str] = {}
    for path in sorted(corpus.glob("*.txt")):
        graph = build_graph(load_document(path))
        store.write_report(graph)
        keys.update(graph_keys(graph, path.name))
    return keys


def indexed(
    store: LadybugStore, home: Path, index_dir: Path, precision: str = "auto"
) -> tuple[IndexSet, Embedder]:
    """The store's issues and measures embedded as the CLI does (default model, no passage cache)."""
    embedder = load_passage_embedder(
        resolve_model(DEFAULT_MODEL, home), precision=precision, home=home, cache=False
    )
    index = IndexSet(IndexConfig(embedder.name, embedder.dim))
    sync_index(store, index, lambda: embedder, index_dir)
    return index, embedder


def issue_ids_by_gold_key(keys: dict[Key, str]) -> dict[tuple[str, int, str], str]:
    """(file name, 1-based category index, printed number) -> issue id."""
    return {(f, c, n): node for (f, c, n, m), node in keys.items() if m is None}


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


def analyst_pairs(
    queries: list[TextQuery], keys: dict[Key, str], files: dict[str, str]
) -> dict[str, set[str]]:
    """Each issue graded 2 or 3 by a text query -> the other such issues of that query in other reports."""
    relevant: dict[str, set[str]] = defaultdict(set)
    for q in queries:
        if q.kind != "issues":
            continue
        ids = [keys[key] for key, grade in q.targets if grade >= 2]
        for a in ids:
            relevant[a].update(b for b in ids if files[b] != files[a])
    return {a: r for a, r in relevant.items() if r}


def paraphrase_pairs(folder: Path, store: LadybugStore, keys: dict[Key, str]) -> dict[str, set[str]]:
    """Writes the paraphrase reports of `folder` into `store`; synthetic issue -> {the issue it restates}."""
    doc = json.loads((folder / "targets.json").read_text(encoding="utf-8"))
    synthetic: dict[tuple[str, str], str] = {}
    for name in sorted({p["file"] for p in doc["pairs"]}):
        graph = build_graph(load_document(folder / name))
        store.write_report(graph)
        synthetic.update(
            {(f, n): node for (f, _, n, m), node in graph_keys(graph, name).items() if m is None}
        )
    issues = issue_ids_by_gold_key(keys)
    out = {}
    for p in doc["pairs"]:
        t = p["target"]
        out[synthetic[(p["file"], str(p["number"]))]] = {
            issues[(t["file"], int(t["category_index"]), str(t["number"]))]
        }
    return out


def print_issue_pairs(
    title: str, store: LadybugStore, index: IndexSet, relevant: dict[str, set[str]], top: int
) -> None:
    print(f"\n{title}: issue-to-issue, {len(relevant)} queries")
    print(f"{'mode':<10}{'Recall@' + str(top):>10}{'MRR':>8}   95% bootstrap intervals")
    for mode in MODES:
        recalls, rranks = evaluate(store, index, relevant, mode, top)
        recall, mrr = float(np.mean(recalls)), float(np.mean(rranks))
        print(
            f"{mode.value:<10}{recall:>10.3f}{mrr:>8.3f}   Recall {interval(recalls)}, MRR {interval(rranks)}"
        )


def interval(values: list[float], resamples: int = 2000) -> str:
    """The 95% bootstrap interval of the mean over queries: how far 64 queries pin a figure down."""
    rng = np.random.default_rng(0)
    data = np.array(values)
    means = data[rng.integers(0, len(data), (resamples, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return f"{low:.2f}-{high:.2f}"


MODES = tuple(Mode)


def cached_queries(embedder: Embedder) -> Callable[[], Embedder]:
    """The embedder with its query vectors remembered, so every mode embeds each query text once."""
    seen: dict[str, np.ndarray] = {}
    original = embedder.embed_query

    def embed_query(text: str) -> np.ndarray:
        if text not in seen:
            seen[text] = original(text)
        return seen[text]

    embedder.embed_query = embed_query  # type: ignore[method-assign]
    return lambda: embedder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=default_gold())
    ap.add_argument(
        "--queries", type=Path, default=REPO / "tests" / "fixtures" / "queries" / "analyst_queries.json"
    )
    ap.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    ap.add_argument("--home", type=Path, default=Path.home() / ".cache" / "ikg-bench", help="model cache")
    ap.add_argument(
        "--paraphrases", type=Path, default=REPO / "tests" / "fixtures" / "paraphrase", help="synthetic pairs"
    )
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--precision", choices=PRECISIONS, default="auto", help="how the passage model computes")
    args = ap.parse_args()

    groups = json.loads((args.gold / "similar_issues.json").read_text(encoding="utf-8"))["groups"]
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        keys = ingest_corpus(args.corpus, store)
        relevant = relevant_sets(groups, issue_ids_by_gold_key(keys))
        queries = load_queries(args.queries)
        started = time.perf_counter()
        index, embedder = indexed(store, args.home, Path(tmp) / "index", args.precision)
        print(
            f"{len(queries)} text queries, {len(groups)} gold groups, "
            f"{getattr(embedder, 'precision', args.precision)}; "
            f"model load + index build "
            f"{time.perf_counter() - started:.1f} s\n"
        )
        query_embedder = cached_queries(embedder)
        rankers = {m.value: mode_ranker(index, m, query_embedder) for m in MODES}
        # the hybrid default before issue 12 (equal weights, no synonyms), and BM25 with the synonyms alone
        rankers["hybrid-old"] = mode_ranker(index, Mode.hybrid, query_embedder, PLAIN_TEXT_FUSION)
        rankers["lexical+syn"] = expanded_lexical_ranker(index)
        print(f"text queries ({args.queries.name}): nDCG@10 / Recall@10 / MRR, mean over queries")
        print(f"{'kind':<10}{'split':<9}{'n':>4}  " + "".join(f"{name:^22}" for name in rankers))
        for kind in KINDS:
            for split in SPLITS:
                part = [q for q in queries if q.kind == kind and q.split == split]
                cells = []
                for rank in rankers.values():
                    m = mean(evaluate_text(part, keys, rank))
                    cells.append(f"{m.ndcg:.3f} {m.recall:.3f} {m.rr:.3f}".center(22))
                print(f"{kind:<10}{split:<9}{len(part):>4}  " + "".join(cells))
        print_issue_pairs("gold groups", store, index, relevant, args.top)
        files = {r.id: r.file for r in store.issue_refs(index.ids("issues")).values()}
        print_issue_pairs("analyst pairs", store, index, analyst_pairs(queries, keys, files), args.top)
        paraphrases = paraphrase_pairs(args.paraphrases, store, keys)
        sync_index(store, index, lambda: embedder, Path(tmp) / "index")
        print_issue_pairs("paraphrase pairs", store, index, paraphrases, args.top)
        store.close()


if __name__ == "__main__":
    main()
