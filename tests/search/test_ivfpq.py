"""IVF-PQ above `ivfpq_min` (lowered here): chosen by count, recorded in the manifest, recall@10 vs exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ikg.app.settings import resolve_settings
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig, read_manifest
from ikg.search.vector_index import FLAT, HNSW, IVFPQ, VectorIndex

DIM = 64


def _clustered(n: int, seed: int) -> np.ndarray:
    """Vectors around 50 topics, like passages of the same kinds of problems: PQ must keep their order."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, DIM))
    v = centres[rng.integers(0, 50, n)] + 0.6 * rng.standard_normal((n, DIM))
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def test_kind_follows_the_thresholds() -> None:
    config = IndexConfig("m", DIM, flat_max=100, ivfpq_min=1000)
    index = VectorIndex(config)
    vectors = _clustered(1500, 1)
    index.add([f"a{i}" for i in range(100)], vectors[:100])
    assert index.index_type == FLAT
    index.add([f"a{i}" for i in range(100, 1000)], vectors[100:1000])
    assert index.index_type == HNSW
    index.add([f"a{i}" for i in range(1000, 1500)], vectors[1000:])
    assert index.index_type == IVFPQ


def test_ivfpq_recall_at_10_against_exact_and_manifest(tmp_path: Path) -> None:
    n = 4000
    vectors, queries = _clustered(n, 2), _clustered(100, 3)
    ids = [f"issue:{i}" for i in range(n)]
    exact = VectorIndex(IndexConfig("m", DIM, flat_max=n + 1, ivfpq_min=n + 1))
    exact.add(ids, vectors)
    index = IndexSet(IndexConfig("m", DIM, flat_max=100, ivfpq_min=2000))
    index.add("issues", ids, vectors)
    assert index.index_type("issues") == IVFPQ
    found = index.search_many("issues", queries, 10)
    truth = exact.search_many(queries, 10)
    recall = np.mean(
        [len({i for i, _ in f} & {i for i, _ in t}) / 10 for f, t in zip(found, truth, strict=True)]
    )
    assert recall >= 0.9, recall
    # scores are exact inner products after the re-scoring
    top_id, top_score = found[0][0]
    assert abs(top_score - float(index.vector("issues", top_id) @ queries[0])) < 1e-5
    manifest = index.save(tmp_path / "index")
    assert manifest.index_types["issues"] == IVFPQ
    assert read_manifest(tmp_path / "index").index_types["issues"] == IVFPQ
    loaded = IndexSet.load(tmp_path / "index", IndexConfig("m", DIM, flat_max=100, ivfpq_min=2000))
    assert loaded.index_type("issues") == IVFPQ
    assert loaded.search_many("issues", queries[:5], 10) == found[:5]
    assert index.remove("issues", ids[:10]) == 10
    assert all(
        i not in {h for h, _ in index.search("issues", vectors[j], 10)} for j, i in enumerate(ids[:10])
    )


def test_threshold_setting(tmp_path: Path) -> None:
    settings = resolve_settings(home=tmp_path, env={"IKG_INDEX_IVFPQ_MIN": "1234"})
    assert settings.ivfpq_min == 1234
