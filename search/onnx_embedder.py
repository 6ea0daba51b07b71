"""Passages -> vectors through onnxruntime on the int8 export of a mean-pooling sentence model.

Same recipe as the sentence-transformers model it was exported from: the prefix, the tokenizer of
`tokenizer.json`, the mean of every token vector (prefix included), L2 normalisation; long texts are cut
into windows averaged by length (`embedder._windows`). Batches are formed from texts sorted by length, so a
batch pads to texts of about the same size.

The session runs each batch on one thread, and one batch per core runs at a time: onnxruntime releases the
GIL, and single-threaded runs skip the hand-over between threads at every operator. On the 2-core AMD host,
192 long passages alternated in five rounds: one batch of 8 on two threads 65.1/s (34.7 per CPU-second),
two batches of 8 each on one thread 70.7/s, of 4 75.9/s (38.4), of 16 67.8/s. Batches stay at 8: int8
quantizes each batch's activations with one scale, so the batch a text shares changes its vector a little,
and with batches of 4 the analyst-query figures moved by one or two queries (held-out measures nDCG@10
0.912 -> 0.890, gold Recall@5 0.822 -> 0.802, bench/similar_issues.py); with 8 they are what they were.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ikg.graph.errors import ModelError
from ikg.search.onnx_export import ensure_int8_onnx

MAX_TOKENS = 512
ORT_BATCH = 8  # texts per run: 4 was faster still (see above), but its vectors ranked worse (README)


class OnnxEmbedder:
    """int8 per-channel weights, fp32 activations; ~2x the passages per CPU-second of torch fp32 here."""

    precision = "int8"

    def __init__(
        self,
        model_dir: Path,
        *,
        export_dir: Path,
        name: str,
        dim: int,
        query_prefix: str,
        passage_prefix: str,
        window: int,
        threads: int | None = None,
    ) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"int8 embedding needs onnxruntime: {exc}") from exc
        path = ensure_int8_onnx(model_dir, export_dir)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        # Spinning workers starve each other on shared cores: 18 vs 23 long passages per CPU-second, 2 threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session: Any = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._tokenizer: Any = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load the ONNX model {path}: {exc}") from exc
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._pad = int(self._tokenizer.token_to_id("<pad>") or 0)
        self.name = name
        self.dim = dim
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._window = window
        self._workers = max(1, threads if threads is not None else len(os.sched_getaffinity(0)))

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._embed([self._passage_prefix + t for t in texts], batch_size, len(self._passage_prefix))

    def embed_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self._embed([self._query_prefix + text], 1, len(self._query_prefix))[0])

    def embed_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._embed([self._query_prefix + t for t in texts], batch_size, len(self._query_prefix))

    def _embed(self, texts: list[str], batch_size: int, prefix_len: int) -> np.ndarray:
        from ikg.search.embedder import pool_windows, split_windows

        owner, windows = split_windows(texts, prefix_len, self._window)
        return pool_windows(self._encode(windows, batch_size), owner, windows, len(texts), self.dim)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Mean-pooled, normalized vectors of texts that each fit the model."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        step = min(batch_size, ORT_BATCH)
        batches = [order[start : start + step] for start in range(0, len(order), step)]

        def run(rows: np.ndarray) -> None:
            width = max(len(encodings[r].ids) for r in rows)
            ids = np.full((len(rows), width), self._pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, r in enumerate(rows):
                n = len(encodings[r].ids)
                ids[j, :n] = encodings[r].ids
                mask[j, :n] = 1
            (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

        if self._workers == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:
            with ThreadPoolExecutor(min(self._workers, len(batches))) as pool:
                list(pool.map(run, batches))  # list(): a run's exception is raised here
        return out
