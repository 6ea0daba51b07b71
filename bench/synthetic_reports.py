"""Synthetic reports for the benchmarks: the example reports with units renamed and issues shuffled.

Each synthetic report is a corpus report with its place names replaced, the issues shuffled inside their
categories and renumbered (continuously or per category, as the template numbers them).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ikg.graph.model import ReportGraph
from ikg.ingest.build import build_graph
from ikg.ingest.parse import parse_report

_NUMBER = re.compile(r"\d+")
_PLACES = (
    "博罗",
    "龙门",
    "紫金",
    "和平",
    "连平",
    "五华",
    "兴宁",
    "大埔",
    "丰顺",
    "平远",
    "蕉岭",
    "新丰",
    "乳源",
)


@dataclass(frozen=True)
class _Template:
    text: str
    categories: tuple[tuple[tuple[int, int], ...], ...]  # original spans of the issues, per category
    restarts: bool  # numbering restarts in every category
    names: tuple[str, ...]  # place names to rename


def _template(path: Path) -> _Template:
    text = path.read_text(encoding="utf-8")
    doc = parse_report(text, file=path.name)
    cats = tuple(tuple((i.span.start, i.span.end) for i in c.issues) for c in doc.categories if c.issues)
    restarts = sum(1 for c in doc.categories if c.issues and c.issues[0].number == "1") > 1
    names = tuple(n for n in (doc.region.county, doc.region.city) if n)
    return _Template(text, cats, restarts, names)


def _variant(t: _Template, rng: random.Random) -> str:
    pieces: list[str] = []
    pos = 0
    number = 0
    for spans in t.categories:
        if t.restarts:
            number = 0
        blocks = [t.text[a:b] for a, b in spans]
        rng.shuffle(blocks)
        # the gaps between issues (blank lines, page numbers) stay where they were
        for (a, b), block in zip(spans, blocks, strict=True):
            number += 1
            pieces.append(t.text[pos:a])
            pieces.append(_NUMBER.sub(str(number), block, count=1))
            pos = b
    pieces.append(t.text[pos:])
    text = "".join(pieces)
    for name in t.names:
        stem = name[:-1] if len(name) > 2 else name
        text = text.replace(stem, rng.choice(_PLACES))
    return text


def synthetic_reports(corpus: Path, count: int, seed: int = 7) -> list[str]:
    """`count` report texts (~20 KB each) varied from the `*.txt` reports in `corpus`."""
    templates = [_template(p) for p in sorted(corpus.glob("*.txt"))]
    rng = random.Random(seed)
    return [_variant(templates[i % len(templates)], rng) for i in range(count)]


def synthetic_graphs(corpus: Path, count: int) -> list[ReportGraph]:
    """The graphs of `synthetic_reports(corpus, count)`, each from a made-up /synthetic/report_NNNNN.txt."""
    texts = synthetic_reports(corpus, count)
    return [build_graph(parse_report(t, file=f"/synthetic/report_{i:05d}.txt")) for i, t in enumerate(texts)]
