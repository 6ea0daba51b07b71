"""jieba's word dictionary kept in a form that loads in milliseconds, for segmenting queries.

jieba segments with a table of ~350k words and all their prefixes (`Tokenizer.FREQ`), which it unmarshals
from its cache on first use: ~0.66 s, a third of a cold `ikg similar`. A query needs a few hundred
look-ups in it. `FrozenWords` is the same table as sorted keys searched by bisection (each look-up ~1 µs
instead of a dict's 0.05, so documents are still segmented with jieba's own table). It is written once,
from the table jieba loaded, into jieba's cache folder under a name that holds jieba's version and its
dictionary file's size and time, so a changed dictionary gets a new file. The tokens are jieba's own:
`tests/search/test_jieba_words.py` compares them on the example reports.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any


class FrozenWords(Mapping[str, int]):
    """A read-only word -> count table over sorted keys."""

    def __init__(self, keys: list[str], counts: array[int]) -> None:
        if len(keys) != len(counts):
            raise ValueError(f"{len(keys)} words but {len(counts)} counts")
        self._keys = keys
        self._counts = counts

    def _find(self, key: str) -> int:
        at = bisect_left(self._keys, key)
        return at if at < len(self._keys) and self._keys[at] == key else -1

    def __getitem__(self, key: str) -> int:
        at = self._find(key)
        if at < 0:
            raise KeyError(key)
        return self._counts[at]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def get(self, key: str, default: Any = None) -> Any:  # jieba calls get() on every fragment
        at = self._find(key)
        return self._counts[at] if at >= 0 else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def frozen_path(jieba: Any) -> Path:
    """Where the frozen table of jieba's default dictionary lives (beside jieba's own cache)."""
    dictionary = Path(jieba.dt.dictionary or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME))
    stat = dictionary.stat()
    folder = Path(jieba.dt.tmp_dir or tempfile.gettempdir())
    return folder / f"ikg-jieba-{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}.words"


def write_frozen(path: Path, table: Mapping[str, int], total: int) -> None:
    """Write `table` (jieba's FREQ) and its `total`: a text line of the total and the sorted words, then the
    counts as int64; atomically, so a reader never sees half a file."""
    keys = sorted(table)
    counts = array("q", (table[k] for k in keys))
    head = "\n".join([str(total), *keys]).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(len(head).to_bytes(8, "little"))
            out.write(head)
            counts.tofile(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_frozen(path: Path) -> tuple[FrozenWords, int] | None:
    """The table and total in `path`, or None when it is missing or unreadable (then jieba loads its own)."""
    try:
        data = path.read_bytes()
        size = int.from_bytes(data[:8], "little")
        lines = data[8 : 8 + size].decode("utf-8").split("\n")
        counts = array("q")
        counts.frombytes(data[8 + size :])
        return FrozenWords(lines[1:], counts), int(lines[0])
    except (OSError, ValueError, UnicodeDecodeError, IndexError):
        return None


_frozen_tokenizer: Any = None  # read once per process


def query_tokenizer(jieba: Any, load: Callable[[], Any]) -> Any:
    """A jieba Tokenizer for queries: jieba's own default one when its table is loaded already (or when no
    frozen copy can be read: then `load()` loads it, once), else one over the frozen table."""
    global _frozen_tokenizer
    if _frozen_tokenizer is not None:
        return _frozen_tokenizer
    if jieba.dt.initialized:
        return jieba.dt
    path = frozen_path(jieba)
    frozen = read_frozen(path)
    if frozen is None:
        load()
        with contextlib.suppress(OSError):  # a read-only cache folder: the next query loads jieba's again
            write_frozen(path, jieba.dt.FREQ, jieba.dt.total)
        return jieba.dt
    _frozen_tokenizer = frozen_tokenizer(jieba, *frozen)
    return _frozen_tokenizer


def frozen_tokenizer(jieba: Any, words: FrozenWords, total: int) -> Any:
    """A jieba Tokenizer that segments over `words` instead of loading its own table."""
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = words, total
    tokenizer.initialized = True
    return tokenizer
