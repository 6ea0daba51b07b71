"""The problem-type taxonomy: frameworks of inspection work by period, loaded from `data/taxonomy.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ikg.graph.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ProblemType:
    id: str
    name: str  # 党的领导弱化, 政治纪律, ...
    description: str
    terms: tuple[str, ...]  # key terms, matched as substrings of an issue's title and text


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    name: str  # 三大问题, 六个方面, 四个落实, 三个聚焦, 六项纪律
    years: tuple[int, int]  # the inspection years it was the framework of (inclusive)
    description: str
    types: tuple[ProblemType, ...]

    def applies_to(self, year: int | None) -> bool:
        return year is not None and self.years[0] <= year <= self.years[1]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: str
    frameworks: tuple[Framework, ...]

    def framework(self, ref: str) -> Framework:
        """By id or Chinese name; raises `ConfigError` listing the valid ones."""
        for f in self.frameworks:
            if ref in (f.id, f.name):
                return f
        names = ", ".join(f"{f.name} ({f.id})" for f in self.frameworks)
        raise ConfigError(f"unknown framework {ref!r}; expected one of {names}")


def parse_taxonomy(raw: dict[str, Any], where: str) -> Taxonomy:
    """Validate the JSON shape; raises `ConfigError` naming `where` and the first bad entry."""
    try:
        frameworks = tuple(
            Framework(
                str(f["id"]),
                str(f["name"]),
                (int(f["years"][0]), int(f["years"][1])),
                str(f["description"]),
                tuple(
                    ProblemType(
                        str(t["id"]), str(t["name"]), str(t["description"]), tuple(map(str, t["terms"]))
                    )
                    for t in f["types"]
                ),
            )
            for f in raw["frameworks"]
        )
        version = str(raw["version"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ConfigError(f"{where}: not a taxonomy ({type(exc).__name__}: {exc})") from exc
    ids = [f.id for f in frameworks] + [t.id for f in frameworks for t in f.types]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{where}: duplicate ids {', '.join(duplicates)}")
    empty = [t.id for f in frameworks for t in f.types if not t.terms or not all(t.terms)]
    if empty:
        raise ConfigError(f"{where}: types without key terms: {', '.join(empty)}")
    return Taxonomy(version, frameworks)


@cache
def default_taxonomy() -> Taxonomy:
    raw = resources.files("ikg.analysis").joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    return parse_taxonomy(json.loads(raw), "ikg/analysis/data/taxonomy.json")


def load_taxonomy(path: Path | None) -> Taxonomy:
    """The bundled taxonomy, or one from a file the analyst edited."""
    if path is None:
        return default_taxonomy()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read taxonomy: {exc}") from exc
    return parse_taxonomy(raw, str(path))
