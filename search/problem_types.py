"""Kinds of problems inspections report, as a concept space: issues that match the same kinds are alike.

An issue's profile is a softmax over its cosine to each kind (embedded as a query); two issues compare by the
cosine of their profiles. It catches pairs whose wording differs but whose kind is the same (报销手续不全 and
超过1000元现金支付须对公转账 are both financial-discipline problems), which whole-text vectors blur.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources

import numpy as np

# Sharp: an issue usually belongs to one or two kinds; measured on the gold groups (bench/similar_issues.py)
TEMPERATURE = 0.01


@cache
def problem_types() -> tuple[str, ...]:
    raw = resources.files("ikg.search").joinpath("data/problem_types.json").read_text(encoding="utf-8")
    return tuple(json.loads(raw)["types"])


def type_id(text: str) -> str:
    """Index id of a kind: changes when its wording changes, so the sync re-embeds it."""
    return "type_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def profiles(vectors: np.ndarray, types: np.ndarray) -> np.ndarray:
    """L2-normalized softmax profiles, one row per vector; `types` is (n_types, dim)."""
    if len(vectors) == 0 or len(types) == 0:
        return np.zeros((len(vectors), len(types)), dtype=np.float32)
    logits = (vectors @ types.T) / TEMPERATURE
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    out: np.ndarray = (weights / np.linalg.norm(weights, axis=1, keepdims=True)).astype(np.float32)
    return out
