"""Deterministic, content-derived node ids: the same input always yields the same id."""

from __future__ import annotations

import hashlib
import unicodedata

from ikg.graph.model import Label

_PREFIX = {
    Label.REPORT: "rep",
    Label.ORGANIZATION: "org",
    Label.INSPECTION: "insp",
    Label.CATEGORY: "cat",
    Label.ISSUE: "iss",
    Label.MEASURE: "mea",
    Label.REGULATION: "reg",
    Label.PERSON: "per",
}


def normalize_key(text: str) -> str:
    """NFKC, no whitespace: 《党委(党组)…》 and 《党委（党组）…》 get one key."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def make_id(label: Label, *parts: object, fold: bool = True) -> str:
    """`<prefix>_<16 hex>` from the label and the parts, e.g. `iss_3fa85f6457174a2c`.

    `fold` normalizes names first (NFKC, no whitespace) so spellings of one name share an id; ids derived
    from a report's own text need no folding (and it costs ~1 ms per report).
    """
    key = "\x1f".join(normalize_key(str(p)) if fold else str(p) for p in (label.value, *parts))
    return f"{_PREFIX[label]}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"
