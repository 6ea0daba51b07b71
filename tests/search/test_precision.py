"""Embedding precisions: auto resolves per CPU, bf16 keeps the fp32 vectors, int8 gets its own index name."""

from __future__ import annotations

import numpy as np
import pytest

from ikg.app.settings import resolve_settings
from ikg.graph.errors import ConfigError, ModelError
from ikg.search.embedder import SentenceTransformerEmbedder, bundled_minilm_path
from ikg.search.precision import index_model_name, native_bf16, resolve_precision

TEXTS = [
    "The union did not collect membership dues in full and on time.",
    "Procurement of office supplies skipped the required price comparison.",
    "Attendance records were kept loosely and late arrivals went unrecorded.",
]


@pytest.fixture(scope="module")
def fp32_vectors() -> np.ndarray:
    return SentenceTransformerEmbedder(bundled_minilm_path(), precision="fp32").embed_passages(TEXTS)


def test_auto_is_bf16_exactly_where_the_cpu_has_bf16() -> None:
    assert resolve_precision("auto") == ("bf16" if native_bf16() else "fp32")
    assert resolve_precision("auto", device="cuda") == "fp32"
    assert resolve_precision("int8") == "int8"


@pytest.mark.parametrize("precision, min_cosine", [("bf16", 0.999), ("int8", 0.95)])
def test_precision_keeps_the_vectors(precision: str, min_cosine: float, fp32_vectors: np.ndarray) -> None:
    embedder = SentenceTransformerEmbedder(bundled_minilm_path(), precision=precision)
    assert embedder.precision == precision
    vectors = embedder.embed_passages(TEXTS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * fp32_vectors, axis=1)
    assert cosines.min() >= min_cosine
    assert not np.array_equal(vectors, fp32_vectors)  # the precision really changed the computation


def test_only_int8_needs_an_index_of_its_own() -> None:
    assert index_model_name("multilingual-e5-small", "int8") == "multilingual-e5-small+int8"
    for precision in ("fp32", "bf16", "auto"):
        assert index_model_name("multilingual-e5-small", precision) == "multilingual-e5-small"
    embedder = SentenceTransformerEmbedder(bundled_minilm_path(), precision="int8")
    assert embedder.name == "all-MiniLM-L6-v2+int8"


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ModelError, match="unknown precision 'fp8'"):
        SentenceTransformerEmbedder(bundled_minilm_path(), precision="fp8")
    with pytest.raises(ConfigError, match="IKG_PRECISION must be one of"):
        resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused", "IKG_PRECISION": "fp8"})
    assert resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused", "IKG_PRECISION": "BF16"}).precision == "bf16"
    assert resolve_settings(env={"IKG_HOME": "/tmp/ikg-unused"}).precision == "auto"
