"""Embedding precisions on the real e5 model: each precision's vectors against fp32, the stored timing that
makes `auto` concrete, and which precisions share an index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ikg.app.settings import resolve_settings
from ikg.graph.errors import ConfigError, ModelError
from ikg.search.embed_cache import CachedEmbedder
from ikg.search.embedder import SentenceTransformerEmbedder, bundled_minilm_path
from ikg.search.passage_model import expected_index_names, load_passage_embedder, timing_passages
from ikg.search.precision import (
    CHOICE_FILE,
    TIMING_VERSION,
    cpu_fingerprint,
    index_model_name,
    resolve_precision,
    store_choice,
    stored_choice,
)


@pytest.fixture(scope="module")
def sentences(report_sentences: list[str]) -> list[str]:
    """Long and short clauses of the real reports, every 7th, so the sample spans all five files."""
    return report_sentences[::7][:80]


@pytest.fixture(scope="module")
def fp32_vectors(e5_embedder: SentenceTransformerEmbedder, sentences: list[str]) -> np.ndarray:
    return e5_embedder.embed_passages(sentences)


@pytest.fixture(scope="module")
def int8_embedder(e5_model_dir: Path, test_cache: Path) -> CachedEmbedder:
    """onnxruntime on the int8 export, kept in the test cache beside the converted model."""
    embedder = load_passage_embedder(e5_model_dir, precision="int8", home=test_cache, cache=True)
    assert isinstance(embedder, CachedEmbedder)
    return embedder


def test_int8_onnx_keeps_the_fp32_vectors(
    int8_embedder: CachedEmbedder, sentences: list[str], fp32_vectors: np.ndarray
) -> None:
    vectors = int8_embedder.inner.embed_passages(sentences)  # not through the cache: really computed
    assert vectors.shape == fp32_vectors.shape and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * fp32_vectors, axis=1)
    assert cosines.mean() >= 0.995
    assert cosines.min() >= 0.98
    assert not np.array_equal(vectors, fp32_vectors)  # the precision really changed the computation
    assert int8_embedder.name == "multilingual-e5-small+int8"


def test_int8_queries_and_long_texts_match_fp32(
    int8_embedder: CachedEmbedder, e5_embedder: SentenceTransformerEmbedder, corpus_dir: Path
) -> None:
    text = sorted(corpus_dir.glob("*.txt"))[0].read_text(encoding="utf-8")[:2000]  # several windows
    assert float(int8_embedder.inner.embed_passages([text])[0] @ e5_embedder.embed_passages([text])[0]) > 0.99
    query = "工会经费收缴不及时"
    assert float(int8_embedder.embed_query(query) @ e5_embedder.embed_query(query)) > 0.99


def test_int8_batches_run_side_by_side_give_each_text_its_own_vector(
    e5_model_dir: Path, test_cache: Path, sentences: list[str]
) -> None:
    """Batches run concurrently, one per worker: every text gets the vector a one-worker embedder gives it,
    in its own row, whatever order the batches finish in."""
    one = load_passage_embedder(e5_model_dir, precision="int8", home=test_cache, threads=1, cache=False)
    two = load_passage_embedder(e5_model_dir, precision="int8", home=test_cache, threads=2, cache=False)
    texts = sentences[:40]
    alone = one.embed_passages(texts)
    together = two.embed_passages(texts)
    cosines = np.sum(alone * together, axis=1)
    assert cosines.min() > 0.9999  # same batches, same padding: only the order of float sums may differ
    assert np.abs(alone @ alone.T - np.eye(len(texts))).max() > 0.05  # the texts' vectors do differ


def test_bf16_keeps_the_fp32_vectors(
    e5_model_dir: Path, sentences: list[str], fp32_vectors: np.ndarray
) -> None:
    vectors = SentenceTransformerEmbedder(e5_model_dir, precision="bf16").embed_passages(sentences[:24])
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)  # bf16 norms are ~1 +- 2e-3
    cosines = np.sum(vectors * fp32_vectors[:24], axis=1)
    assert cosines.min() >= 0.999 and cosines.mean() >= 0.9999
    assert not np.allclose(vectors, fp32_vectors[:24], atol=1e-6)  # bf16 weights really changed the sums


def test_auto_is_the_stored_fastest_on_this_cpu(tmp_path: Path) -> None:
    assert resolve_precision("auto", tmp_path) == "fp32"  # nothing timed: never a guess slower than fp32
    assert store_choice(tmp_path, {"fp32": 20.0, "bf16": 15.0, "int8": 40.0}) == "int8"
    assert stored_choice(tmp_path) == "int8"
    assert resolve_precision("auto", tmp_path) == "int8"
    assert resolve_precision("bf16", tmp_path) == "bf16"
    assert store_choice(tmp_path, {"fp32": 20.0, "bf16": 20.0}) == "fp32"  # a tie goes to fp32
    record = json.loads((tmp_path / CHOICE_FILE).read_text(encoding="utf-8"))
    assert record["cpu"] == cpu_fingerprint()
    record["cpu"] = "another CPU x64"
    (tmp_path / CHOICE_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert stored_choice(tmp_path) is None  # timed elsewhere: timed again here


def test_a_timing_of_older_code_is_redone(tmp_path: Path) -> None:
    """bf16 used to mean autocast (slower than fp32 here): a choice timed on it must not stand."""
    store_choice(tmp_path, {"fp32": 20.0, "int8": 40.0})
    record = json.loads((tmp_path / CHOICE_FILE).read_text(encoding="utf-8"))
    assert record["version"] == TIMING_VERSION
    del record["version"]  # as written before the version was recorded
    (tmp_path / CHOICE_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert stored_choice(tmp_path) is None
    assert resolve_precision("auto", tmp_path) == "fp32"


def test_index_names_follow_the_stored_choice(tmp_path: Path) -> None:
    model = tmp_path / "models" / "m"
    model.mkdir(parents=True)
    assert expected_index_names(model, "auto", tmp_path, name="e5") == {"e5", "e5+int8"}
    store_choice(model, {"fp32": 20.0, "int8": 40.0})
    assert expected_index_names(model, "auto", tmp_path, name="e5") == {"e5+int8"}
    assert expected_index_names(model, "fp32", tmp_path, name="e5") == {"e5"}


def test_timing_passages_are_long_and_distinct() -> None:
    texts = timing_passages()
    assert len(set(texts)) == len(texts)
    assert all(190 <= len(t) <= 205 for t in texts)


def test_only_int8_needs_an_index_of_its_own() -> None:
    assert index_model_name("multilingual-e5-small", "int8") == "multilingual-e5-small+int8"
    for precision in ("fp32", "bf16", "auto"):
        assert index_model_name("multilingual-e5-small", precision) == "multilingual-e5-small"


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ModelError, match="unknown precision 'fp8'"):
        SentenceTransformerEmbedder(bundled_minilm_path(), precision="fp8")
    with pytest.raises(ModelError, match="onnxruntime"):
        SentenceTransformerEmbedder(bundled_minilm_path(), precision="int8")
    with pytest.raises(ConfigError, match="IKG_PRECISION must be one of"):
        resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused", "IKG_PRECISION": "fp8"})
    assert resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused", "IKG_PRECISION": "BF16"}).precision == "bf16"
    assert resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused"}).precision == "auto"
