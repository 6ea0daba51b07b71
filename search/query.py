"""Checks on what a user asks before any index or model is touched: empty or blank queries, bad numbers."""

from __future__ import annotations

import math

from ikg.graph.errors import QueryError


def check_query(text: str | None, what: str) -> str:
    """`text` stripped, or `QueryError("<what>: query is empty")` for None, "" or blank text, and for text
    with no letter, digit or character to match (only punctuation). `what` names the argument for the
    message, e.g. "similar TEXT"."""
    stripped = (text or "").strip()
    if not stripped:
        raise QueryError(what, "query is empty; give the words to search for")
    if not any(ch.isalnum() for ch in stripped):
        raise QueryError(what, f"query {stripped!r} has no words to search for")
    return stripped


def check_given(value: str, what: str) -> str:
    """An id or name as typed, stripped; `QueryError("<what>: is empty")` if it is blank."""
    stripped = value.strip()
    if not stripped:
        raise QueryError(what, "is empty")
    return stripped


def check_limits(top: int, min_score: float | None) -> None:
    """`QueryError` for a `top` below 1 or a `min_score` that is not a finite number."""
    if top < 1:
        raise QueryError("--top", f"must be at least 1, not {top}")
    if min_score is not None and not math.isfinite(min_score):
        raise QueryError("--min-score", f"must be a number, not {min_score}")
