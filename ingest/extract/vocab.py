"""Load the curated vocabulary files under `ingest/data/` (regions, rule names, aliases, roles, org words).

The files ship as package data; each is read once and cached, since every report consults them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON file `ingest/data/<name>`; raises FileNotFoundError if the package lacks it."""
    text = resources.files("ikg.ingest").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def words(name: str, key: str) -> tuple[str, ...]:
    """A list of words from a data file, longest first so that alternations prefer the longest match."""
    values: list[str] = load(name)[key]
    return tuple(sorted(values, key=len, reverse=True))


def alternation(values: Iterable[str]) -> str:
    """A regex matching any of `values`, preferring the longest, as a trie: 人(?:大(?:常委会)?|民政府).

    It matches exactly like the flat alternation sorted longest first, but Python's `re` tries each branch
    in turn, so sharing prefixes means fewer branches to reject at every position of a text.
    """
    tree: dict[str, Any] = {}
    for value in values:
        node = tree
        for ch in value:
            node = node.setdefault(ch, {})
        node[""] = {}  # a value ends here
    return _trie(tree)


def _trie(node: dict[str, Any]) -> str:
    # Children start with different characters, so at most one can match: their order does not matter.
    branches = [re.escape(ch) + _trie(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    # A value may also end here: the greedy `?` tries the longer ones first.
    return f"(?:{body})?"
