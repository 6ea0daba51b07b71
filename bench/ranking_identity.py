"""Whether a change to issue ranking leaves its results unchanged, to the last bit: this tree against REF.

    .venv/bin/python bench/ranking_identity.py --against main [--synthetic 6000] [--no-examples]

Builds the inputs once and saves them, then runs the same rankings under this tree and under the packages at
git REF (as bench/parse_identity.py does) and prints the queries whose results differ; exit 1 if any.
Inputs: (1) the example corpus plus the paraphrase reports, embedded with the real model as the CLI does:
`similar --issue` for every issue and `similar --all` in every mode, `similar TEXT` for the analyst
queries; (2) synthetic issues (clustered vectors, three correlated views, texts of report clauses) in a
flat, an HNSW and an IVF-PQ index: `for_issue` for a sample, the `similar --all` pass over all, `for_text`.
Every result is compared by the `repr` of its scores and cosines, so a difference in the last bit shows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from functools import partial
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MODES = ("dense", "lexical", "hybrid")
# name -> (issues, IndexConfig overrides): each FAISS path (exact, HNSW, IVF-PQ with exact re-scoring)
SYNTHETIC = {"flat": (1500, {}), "hnsw": (0, {"flat_max": 2000}), "ivfpq": (0, {"ivfpq_min": 4000})}


class _Fixed:
    """An embedder whose query vectors were computed when the inputs were built."""

    name, dim = "bench", 384

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.vectors[text]


def _all_titles(titles: dict[str, str], _ids: list[str]) -> dict[str, str]:
    return titles


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:20]


def _build_examples(out: Path, home: Path) -> None:
    from similar_issues import indexed, ingest_corpus, paraphrase_pairs

    from ikg.graph.ladybug_store import LadybugStore
    from ikg.search.evaluation import load_queries

    store = LadybugStore(out / "graph")
    keys = ingest_corpus(REPO / "examples" / "reports", store)
    paraphrase_pairs(REPO / "tests" / "fixtures" / "paraphrase", store, keys)
    index, embedder = indexed(store, home, out / "index")
    index.save(out / "index")
    queries = [q.text for q in load_queries(REPO / "tests" / "fixtures" / "queries" / "analyst_queries.json")]
    np.save(out / "queries.npy", np.stack([embedder.embed_query(q) for q in queries]))
    (out / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    (out / "config.json").write_text(json.dumps({"model": index.config.model, "dim": index.config.dim}))
    store.close()


def _build_synthetic(out: Path, n: int) -> None:
    from search_speed import report_clauses, synthetic_issue_vectors

    from ikg.search.index import IndexKind, IndexSet
    from ikg.search.issue_ranking import VIEWS
    from ikg.search.manifest import IndexConfig

    clauses = report_clauses()
    for name, (count, overrides) in SYNTHETIC.items():
        size = count or n
        rng = np.random.default_rng(5)
        config = IndexConfig("bench", 384, **overrides)  # type: ignore[arg-type]
        index = IndexSet(config)
        ids = [f"issue:{i}" for i in range(size)]
        whole = synthetic_issue_vectors(size, rng)
        picks = rng.integers(0, len(clauses), (size, 3))
        texts = ["。".join(clauses[j] for j in row) for row in picks]
        for kind in VIEWS:  # the views of one issue are alike, as a text, its head and its title are
            noisy = whole + (0 if kind == IndexKind.ISSUES else 0.5) * synthetic_issue_vectors(size, rng)
            vectors = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
            index.add(kind, ids, vectors, texts if kind == IndexKind.ISSUES else None)
        index.add(IndexKind.PROBLEM_TYPES, [f"type_{i}" for i in range(37)], synthetic_issue_vectors(37, rng))
        index.save(out / name)
        titles = {i: t.split("。")[0] for i, t in zip(ids, texts, strict=True)}
        (out / f"{name}.json").write_text(
            json.dumps({"config": asdict(config), "titles": titles}, ensure_ascii=False), encoding="utf-8"
        )
        np.save(out / f"{name}.queries.npy", synthetic_issue_vectors(20, rng))


def _examples_lines(folder: Path) -> list[str]:
    from ikg.graph.ladybug_store import LadybugStore
    from ikg.search.index import IndexSet
    from ikg.search.manifest import IndexConfig
    from ikg.search.results import Mode
    from ikg.search.similar import similar_all, similar_issues

    config = IndexConfig(**json.loads((folder / "config.json").read_text()))
    index = IndexSet.load(folder / "index", config)
    store = LadybugStore(folder / "graph")
    queries = json.loads((folder / "queries.json").read_text(encoding="utf-8"))
    fixed = _Fixed(dict(zip(queries, np.load(folder / "queries.npy"), strict=True)))
    lines = []
    for mode in map(Mode, MODES):
        for top in (5, 10):
            for n in similar_all(store, index, top=top, mode=mode):
                lines.append(f"examples all {mode} top{top} {n.issue.id} {_digest(n)}")
        for issue_id in index.ids("issues"):
            found = similar_issues(store, index, issue_id=issue_id, top=10, mode=mode)
            lines.append(f"examples issue {mode} {issue_id} {_digest(found)}")
        for q, text in enumerate(queries):
            found = similar_issues(store, index, text=text, top=10, mode=mode, query_embedder=lambda: fixed)  # type: ignore[arg-type,return-value]
            lines.append(f"examples text {mode} q{q} {_digest(found)}")
    store.close()
    return lines


def _synthetic_lines(folder: Path) -> list[str]:
    from ikg.search.index import IndexSet
    from ikg.search.issue_ranking import IssueRanker
    from ikg.search.manifest import IndexConfig
    from ikg.search.results import Mode

    lines = []
    for name in SYNTHETIC:
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        index = IndexSet.load(folder / name, IndexConfig(**meta["config"]))
        titles: dict[str, str] = meta["titles"]
        lookup = partial(_all_titles, titles)
        ids = index.ids("issues")
        queries = np.load(folder / f"{name}.queries.npy")
        for mode in map(Mode, MODES):
            for issue_id in ids[:: max(1, len(ids) // 60)]:  # a fresh ranker per query, as one command
                ranker = IssueRanker(index, mode=mode, depth=100, titles=lookup)
                lines.append(f"{name} issue {mode} {issue_id} {_digest(ranker.for_issue(issue_id))}")
            ranker = IssueRanker(index, mode=mode, depth=100, titles=lookup)
            for start in range(0, len(ids), 256):  # the `similar --all` pass, as similar_all batches it
                chunk = ids[start : start + 256]
                ranker.prefetch(chunk)
                ranker.prefetch([c for i in chunk for c in ranker.head(i)])
                for issue_id in chunk:
                    lines.append(f"{name} all {mode} {issue_id} {_digest(ranker.for_issue(issue_id))}")
            for q, vector in enumerate(queries):
                fixed = _Fixed({"q": vector})
                ranker = IssueRanker(index, mode=mode, depth=110, query_embedder=lambda f=fixed: f)  # type: ignore[misc]
                lines.append(f"{name} text {mode} q{q} {_digest(ranker.for_text('q'))}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--against", metavar="REF", required=True)
    parser.add_argument("--synthetic", type=int, default=6000, help="issues of the HNSW and IVF-PQ indexes")
    parser.add_argument(
        "--no-examples", action="store_true", help="skip the example corpus (needs the model)"
    )
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "ikg-bench", help="model cache")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        lines = _synthetic_lines(args.worker / "synthetic")
        if (args.worker / "examples").is_dir():
            lines += _examples_lines(args.worker / "examples")
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from parse_speed import _checkout

    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        (inputs / "synthetic").mkdir(parents=True)
        _build_synthetic(inputs / "synthetic", args.synthetic)
        if not args.no_examples:
            (inputs / "examples").mkdir()
            _build_examples(inputs / "examples", args.home)
        (Path(tmp) / "old").mkdir()
        old_env = {**os.environ, "PYTHONPATH": str(_checkout(args.against, Path(tmp) / "old"))}
        command = [sys.executable, __file__, "--against", args.against, "--worker", str(inputs)]
        now = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
        before = subprocess.run(command, env=old_env, check=True, capture_output=True, text=True).stdout
    differ = [a for a, b in zip(now, before.splitlines(), strict=True) if a != b]
    print(f"{len(now)} rankings, {len(differ)} differ from {args.against}")
    for line in differ[:40]:
        print(f"  {line.rsplit(' ', 1)[0]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
