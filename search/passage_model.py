"""The passage embedder that settings ask for: precision made concrete (timed once per model and CPU), the
int8 path through onnxruntime, and the on-disk vector cache in front of it."""

from __future__ import annotations

import contextlib
import hashlib
import time
from pathlib import Path

from ikg.graph.errors import ModelError
from ikg.search.embed_cache import CachedEmbedder, EmbeddingCache
from ikg.search.embedder import (
    WINDOW_CHARS,
    Embedder,
    SentenceTransformerEmbedder,
    model_display_name,
    prefixes_for,
)
from ikg.search.precision import CONCRETE, index_model_name, resolve_precision, store_choice, stored_choice

TIMING_PASSAGES = 48  # ~200-character passages per precision and round; two rounds, interleaved
_TIMING_CLAUSE = "部分基层党组织落实“三会一课”制度不严格，组织生活质量不高，党员教育管理不够规范，"


def derived_dir(model: Path | str, home: Path) -> Path:
    """Where ikg keeps what it derives from a model (ONNX export, timing): the model folder itself when it
    lives under `home` (the converted default model), else a folder of its own under `home/models`."""
    path = Path(model)
    try:
        path.resolve().relative_to(home.resolve())
        return path
    except ValueError:
        digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:10]
        return home / "models" / "derived" / f"{model_display_name(model)}-{digest}"


def expected_index_names(model: Path | str, precision: str, home: Path, name: str | None = None) -> set[str]:
    """Index model names that vectors of these settings may go into, without loading any model: with
    `auto` and no timing stored yet, either of fp32's and int8's."""
    name = name or model_display_name(model)
    concrete = precision if precision != "auto" else stored_choice(derived_dir(model, home))
    choices = (concrete,) if concrete else CONCRETE
    return {index_model_name(name, p) for p in choices}


def load_passage_embedder(
    model: Path | str,
    *,
    precision: str,
    home: Path,
    threads: int | None = None,
    cache: bool = True,
) -> Embedder:
    """The embedder for ingest and reindex; `auto` is timed on first use (~30 s once) and stored."""
    folder = derived_dir(model, home)
    if precision == "auto" and stored_choice(folder) is None:
        store_choice(folder, time_precisions(model, home, threads=threads))
    concrete = resolve_precision(precision, folder)
    embedder = _build(model, concrete, home, threads)
    if not cache:
        return embedder
    return CachedEmbedder(embedder, EmbeddingCache(home / "cache" / "embeddings", embedder.name, concrete))


def _build(model: Path | str, precision: str, home: Path, threads: int | None) -> Embedder:
    if precision != "int8":
        return SentenceTransformerEmbedder(model, precision=precision, threads=threads)
    from ikg.search.onnx_embedder import OnnxEmbedder

    path = Path(model)
    if not (path / "tokenizer.json").is_file() or not (path / "config.json").is_file():
        raise ModelError(f"int8 needs a local model directory with tokenizer.json and config.json: {model}")
    name = model_display_name(model)
    prefixes = prefixes_for(name)
    return OnnxEmbedder(
        path,
        export_dir=derived_dir(model, home),
        name=index_model_name(name, "int8"),
        dim=_dimension(path),
        query_prefix=prefixes.query,
        passage_prefix=prefixes.passage,
        window=WINDOW_CHARS,
        threads=threads,
    )


def _dimension(path: Path) -> int:
    import json

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return int(config["hidden_size"])


def timing_passages(count: int = TIMING_PASSAGES) -> list[str]:
    """~200-character passages in the register of the reports, each different (no cache can help)."""
    return [f"{i}、{(_TIMING_CLAUSE * 8)[i % 7 :][:196]}" for i in range(count)]


def time_precisions(model: Path | str, home: Path, *, threads: int | None = None) -> dict[str, float]:
    """Passages/s of each precision that loads here: a warm-up, then the best of two interleaved rounds."""
    embedders: dict[str, Embedder] = {
        p: SentenceTransformerEmbedder(model, precision=p, threads=threads) for p in ("fp32", "bf16")
    }  # bf16 holds weights of its own (bf16, not autocast), so it is a second model
    with contextlib.suppress(ModelError):  # e.g. not a local directory: int8 is simply not a candidate
        embedders["int8"] = _build(model, "int8", home, threads)
    texts = timing_passages()
    for embedder in embedders.values():
        embedder.embed_passages(texts[:8])
    rates: dict[str, float] = dict.fromkeys(embedders, 0.0)
    for _ in range(2):
        for precision, embedder in embedders.items():
            start = time.perf_counter()
            embedder.embed_passages(texts)
            rates[precision] = max(rates[precision], len(texts) / (time.perf_counter() - start))
    return {p: round(r, 1) for p, r in rates.items()}
