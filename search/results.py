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
    score: float  # the mode's signals fused by reciprocal rank, 0..1 (1: first in every signal)
    cosine: float | None  # the whole-text cosine when the vector was compared, whatever the mode


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
