"""Compile a codepoint normalization map into a SentencePiece `precompiled_charsmap`.

`tokenizers`' `Precompiled` normalizer reads this blob: a little-endian u32 trie size in bytes, a darts-clone
double-array trie keyed by the UTF-8 bytes of each source string, then the NUL-terminated replacement strings
the trie's leaf values point into. Building it here spares the `sentencepiece` + `protobuf` dependencies that
`SentencePieceTrainer` would otherwise need just to produce these bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_BLOCK = 256  # the reader XORs a byte into a position: keep every 256-slot block inside the array
_MAX_OFFSET = 1 << 21  # larger offsets need darts-clone's second encoding; our tries stay far smaller


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None  # offset into the replacement blob, for a complete key


def compile_charsmap(mapping: Mapping[str, str]) -> bytes:
    """Bytes for `normalizers.Precompiled`: each key (a non-empty string) is replaced by its value."""
    blob = bytearray()
    value_at: dict[str, int] = {}
    root = _Node()
    for source, target in sorted(mapping.items()):
        if not source or "\0" in source or "\0" in target:
            raise ValueError(f"cannot compile mapping {source!r} -> {target!r}")
        if target not in value_at:  # share identical replacement strings
            value_at[target] = len(blob)
            blob += target.encode("utf-8") + b"\0"
        node = root
        for byte in source.encode("utf-8"):
            node = node.children.setdefault(byte, _Node())
        node.value = value_at[target]
    units = _DoubleArray().build(root)
    return struct.pack("<I", len(units) * 4) + struct.pack(f"<{len(units)}I", *units) + bytes(blob)


class _DoubleArray:
    """Places trie nodes so that a node's children sit at base ^ label and its leaf value at base ^ 0."""

    def __init__(self) -> None:
        self.units: list[int] = []
        self.used: list[bool] = []
        self.used_bases: set[int] = set()
        self.first_free = 1  # slot 0 holds the root unit

    def build(self, root: _Node) -> list[int]:
        self._grow(_BLOCK)
        self.used[0] = True
        # (position of the node's own unit, node); the root's unit carries only its offset
        queue: list[tuple[int, _Node]] = [(0, root)]
        while queue:
            pos, node = queue.pop()
            labels = sorted(node.children)
            slots = ([0] if node.value is not None else []) + labels
            if not slots:
                continue
            base = self._find_base(slots)
            self.used_bases.add(base)
            for label in slots:
                self.used[base ^ label] = True
            offset = pos ^ base
            if offset >= _MAX_OFFSET:
                raise ValueError("normalization map too large for the simple offset encoding")
            self.units[pos] |= offset << 10 | (1 << 8 if node.value is not None else 0)
            if node.value is not None:
                self.units[base] = node.value | (1 << 31)  # bit 31: a leaf never matches a label
            for label in labels:
                self.units[base ^ label] = label
                queue.append((base ^ label, node.children[label]))
        return self.units

    def _find_base(self, slots: list[int]) -> int:
        while self.used[self.first_free]:
            self.first_free += 1
            if self.first_free >= len(self.used):
                self._grow(_BLOCK)
        pos = self.first_free
        while True:
            if pos >= len(self.used):
                self._grow(_BLOCK)
            if not self.used[pos]:
                base = pos ^ slots[0]
                if base not in self.used_bases and base != 0 and all(not self.used[base ^ s] for s in slots):
                    return base
            pos += 1

    def _grow(self, n: int) -> None:
        self.units.extend([0] * n)
        self.used.extend([False] * n)
