"""The passage-vector cache: an unchanged passage is embedded once, across calls and processes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ikg.search.embed_cache import CachedEmbedder, EmbeddingCache
from ikg.search.embedder import SentenceTransformerEmbedder

TEXTS = ["工会经费收缴不及时", "党建工作有待加强", "公务用车管理不规范", "党建工作有待加强"]


def test_each_passage_is_embedded_once(tmp_path: Path, minilm_embedder: SentenceTransformerEmbedder) -> None:
    cached = CachedEmbedder(minilm_embedder, EmbeddingCache(tmp_path, minilm_embedder.name, "fp32"))
    first = cached.embed_passages(TEXTS)
    assert cached.embedded == 3  # the repeated title inside one call is embedded once
    np.testing.assert_allclose(first, minilm_embedder.embed_passages(TEXTS), atol=1e-6)
    again = CachedEmbedder(minilm_embedder, EmbeddingCache(tmp_path, minilm_embedder.name, "fp32"))
    second = again.embed_passages([*TEXTS, "新的一条"])
    assert again.embedded == 1  # another process, same cache file: only the new text
    np.testing.assert_array_equal(second[: len(TEXTS)], first)


def test_precisions_and_models_do_not_share_vectors(tmp_path: Path) -> None:
    a = EmbeddingCache(tmp_path, "m", "fp32")
    b = EmbeddingCache(tmp_path, "m", "int8")
    a.put([b"k"], np.ones((1, 4), dtype=np.float32))
    assert b.get([b"k"], 4) == {}
    assert set(a.get([b"k"], 4)) == {b"k"}
    assert a.get([b"k"], 8) == {}  # a vector of another dimension is never returned


def test_a_damaged_cache_only_costs_time(
    tmp_path: Path, minilm_embedder: SentenceTransformerEmbedder
) -> None:
    cache = EmbeddingCache(tmp_path, minilm_embedder.name, "fp32")
    cache.path.write_bytes(b"not a database at all" * 100)
    cached = CachedEmbedder(minilm_embedder, EmbeddingCache(tmp_path, minilm_embedder.name, "fp32"))
    vectors = cached.embed_passages(TEXTS[:2])
    assert vectors.shape == (2, minilm_embedder.dim)
    assert cached.embedded == 2
