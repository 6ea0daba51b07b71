"""Load the curated vocabulary files under `ingest/data/` (regions, rule names, aliases, roles, org words).

The files ship as package data; each is read once and cached, since every report consults them.
"""

from __future__ import annotations

import json
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
