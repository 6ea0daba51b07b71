"""Typed search results; every hit carries the provenance of the node it names (file and line)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ikg.graph.views import IssueRef, MeasureRef


class Mode(StrEnum):
    dense = "dense"
    lexical = "lexical"
    hybrid = "hybrid"


@dataclass(frozen=True, slots=True)
class IssueHit:
    issue: IssueRef
    score: float  # in the chosen mode: cosine (dense), BM25 (lexical), normalized RRF in 0..1 (hybrid)
    cosine: float | None  # the dense similarity when the vector was compared, whatever the mode


@dataclass(frozen=True, slots=True)
class UnitGroup:
    unit: str
    score: float  # the best hit's score
    hits: tuple[IssueHit, ...]


@dataclass(frozen=True, slots=True)
class SimilarIssues:
    query: str | None  # the text searched for, or None when searching from an issue
    source: IssueRef | None  # the issue searched from (its own report is excluded)
    mode: Mode
    groups: tuple[UnitGroup, ...]


@dataclass(frozen=True, slots=True)
class MeasureHit:
    measure: MeasureRef
    score: float
    cosine: float | None
