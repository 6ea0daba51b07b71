"""Chinese keyword search: jieba tokens scored by BM25 (bm25s).

Stored as bm25s' own files (loading 10k documents takes ~3 ms, rebuilding them from stored tokens ~300 ms,
from texts ~3.6 s with jieba) plus each document's tokens, which later edits rebuild from without re-running
jieba. The tokens are kept as one line of text per document (`_SEP` between tokens), split only when a
document is itself the query or the index is rebuilt: loading the nested JSON lists of 200 reports took
0.4 s of every cold query, reading the lines takes a tenth of that.
jieba loads its dictionary (~0.6 s) on first use only; a query in a process that has not loaded it is
segmented over a frozen copy of the same table (`jieba_words.py`), loaded in milliseconds.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ikg.graph.errors import IndexMissingError
from ikg.search.jieba_words import query_tokenizer

# Function words that match nearly every report sentence. 不/未/无 stay: 不到位 and 未落实 carry meaning.
STOPWORDS = frozenset(
    """的 了 和 与 及 以及 等 在 是 对 将 把 被 中 为 有 也 并 就 都 而 或 其 之 以 于 个 这 那 从 向 由 上 下
    着 要 该 各 所 还 又 已 已经 进行 方面 情况 问题 工作""".split()  # noqa: SIM905 (a list would be 48 quoted words)
)
_JIEBA_READY = False
_SEP = "\x1f"  # between a document's tokens; a control character, which `tokenize` never keeps
_ROWS_FORMAT = 2  # <kind>.lexical.json holds the ids, <kind>.tokens.txt one line of tokens per id


def tokenize(text: str, *, query: bool = False) -> list[str]:
    """Search-mode jieba tokens (a long word and its parts), lower-cased, no punctuation/spaces/stopwords.

    A `query` is segmented over jieba's table as frozen by `jieba_words` (the same tokens, loaded in
    milliseconds) unless jieba's own table is loaded already; documents always over jieba's own (faster
    look-ups for long texts)."""
    segmenter = _query_tokenizer() if query else _jieba()
    out: list[str] = []
    for token in segmenter.lcut_for_search(text):
        token = token.strip().lower()
        if token and token not in STOPWORDS and not _is_punctuation(token):
            out.append(token)
    return out


def _is_punctuation(token: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PZSC" for ch in token)


def _jieba() -> Any:
    global _JIEBA_READY  # jieba itself is a process-wide singleton; this only records that it is set up
    import jieba

    if not _JIEBA_READY:
        jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter on stderr
        jieba.initialize()
        _JIEBA_READY = True
    return jieba


def _query_tokenizer() -> Any:
    import jieba

    return query_tokenizer(jieba, load=_jieba)  # `_jieba` quiets jieba's log before loading its table


class LexicalIndex:
    """BM25 over one kind of texts, addressed by node id."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._rows: list[str] = []  # per document its tokens joined by _SEP
        self._bm25: Any = None  # rebuilt lazily after edits
        self._position: dict[str, int] | None = None  # id -> row, rebuilt lazily after edits

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> LexicalIndex:
        index = cls()
        index.add(ids, texts)
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> list[str]:
        return list(self._ids)

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Add or replace texts."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids but {len(texts)} texts")
        self.remove(ids)
        self._ids.extend(ids)
        self._rows.extend(_SEP.join(tokenize(t)) for t in texts)
        self._bm25 = self._position = None

    def remove(self, ids: Iterable[str]) -> int:
        gone = set(ids)
        keep = [i for i, node_id in enumerate(self._ids) if node_id not in gone]
        removed = len(self._ids) - len(keep)
        if removed:
            self._ids = [self._ids[i] for i in keep]
            self._rows = [self._rows[i] for i in keep]
            self._bm25 = self._position = None
        return removed

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Best `k` ids with a positive BM25 score, best first."""
        return self._search_tokens(tokenize(query, query=True), k)

    def search_like(self, node_id: str, k: int) -> list[tuple[str, float]]:
        """Best `k` ids for an indexed document's own tokens as the query (itself included); [] if absent."""
        if self._position is None:
            self._position = {node_id: row for row, node_id in enumerate(self._ids)}
        row = self._position.get(node_id)
        return [] if row is None else self._search_tokens(_tokens(self._rows[row]), k)

    def _search_tokens(self, query: list[str], k: int) -> list[tuple[str, float]]:
        if k <= 0 or not self._ids:
            return []
        bm25 = self._index()
        vocab = bm25.vocab_dict
        tokens = [t for t in query if t in vocab]
        if not tokens:
            return []
        docs, scores = bm25.retrieve([tokens], k=min(k, len(self._ids)), show_progress=False, n_threads=1)
        return [(self._ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def write(self, directory: Path, kind: str) -> None:
        """Write `<kind>.lexical.json`, `<kind>.tokens.txt` and the `<kind>.bm25/` directory into a directory
        being built."""
        data = {"format": _ROWS_FORMAT, "ids": self._ids}
        (directory / f"{kind}.lexical.json").write_text(
            json.dumps(data, ensure_ascii=False), encoding="utf-8"
        )
        (directory / f"{kind}.tokens.txt").write_text("\n".join(self._rows), encoding="utf-8")
        if self._ids:
            self._index().save(str(directory / f"{kind}.bm25"), show_progress=False)

    @classmethod
    def read(cls, directory: Path, kind: str) -> LexicalIndex:
        path = directory / f"{kind}.lexical.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ids = [str(i) for i in data["ids"]]
            if "tokens" in data:  # written before the token lines: nested lists
                rows = [_SEP.join(str(t) for t in doc) for doc in data["tokens"]]
            else:
                lines = (directory / f"{kind}.tokens.txt").read_text(encoding="utf-8")
                rows = lines.split("\n") if ids else []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexMissingError(f"{path} is unreadable ({exc}); run 'ikg reindex'") from exc
        if len(ids) != len(rows):
            raise IndexMissingError(f"{path} is inconsistent; run 'ikg reindex'")
        index = cls()
        index._ids, index._rows = ids, rows
        if ids:
            try:
                index._bm25 = _bm25s().BM25.load(str(directory / f"{kind}.bm25"), show_progress=False)
            except (OSError, ValueError) as exc:
                raise IndexMissingError(
                    f"the {kind} BM25 index in {directory} is unreadable; run 'ikg reindex'"
                ) from exc
            if int(index._bm25.scores["num_docs"]) != len(ids):
                raise IndexMissingError(
                    f"the {kind} BM25 index in {directory} is inconsistent; run 'ikg reindex'"
                )
        return index

    def _index(self) -> Any:
        if self._bm25 is None:
            bm25 = _bm25s().BM25()
            # an empty document would break bm25s' vocabulary; a sentinel token never matches a query
            bm25.index([_tokens(row) or ["\0"] for row in self._rows], show_progress=False)
            self._bm25 = bm25
        return self._bm25


def _tokens(row: str) -> list[str]:
    return row.split(_SEP) if row else []


def _bm25s() -> Any:
    """bm25s, imported when first needed, without the DEBUG level it gives its logger on import: with a
    root handler set (a bench's, a web server's) every index build printed "Building index from tokens"."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s
