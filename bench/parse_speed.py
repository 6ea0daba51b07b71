"""Parsing speed on one core: 1,000 synthetic reports of about 20 KB made from the example corpus.

    .venv/bin/python bench/parse_speed.py [--reports 1000] [--seed 7] [--profile]

Each synthetic report is a corpus report with its unit and place names replaced, the issues shuffled
inside their categories and renumbered (continuously or per category, as the template numbers them).
Prints reports/s and MB/s for the whole `parse_report` and for its structure stage alone (normalize +
outline). Target: >= 200 reports/s for `parse_report`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ikg.ingest.extract.claimed import extract_claimed
from ikg.ingest.extract.contact import extract_contact
from ikg.ingest.extract.header import extract_header
from ikg.ingest.extract.money import find_money
from ikg.ingest.extract.organizations import find_organizations
from ikg.ingest.extract.people import find_people
from ikg.ingest.extract.regulations import find_regulations
from ikg.ingest.extract.sections import build_outline
from ikg.ingest.normalize import NormalizedText, normalize
from ikg.ingest.parse import parse_report

REPO = Path(__file__).resolve().parent.parent
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


def _rate(texts: list[str], fn: Callable[[str, int], object]) -> float:
    start = time.perf_counter()
    for i, text in enumerate(texts):
        fn(text, i)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    parser.add_argument("--stage-reports", type=int, default=200, help="reports timed per stage")
    args = parser.parse_args()
    templates = [_template(p) for p in sorted(args.corpus.glob("*.txt"))]
    rng = random.Random(args.seed)
    texts = [_variant(templates[i % len(templates)], rng) for i in range(args.reports)]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} reports, {mb / len(texts) * 1000:.1f} KB on average (UTF-8), {mb:.1f} MB in all")

    per_mb = mb / len(texts)
    structure = _rate(texts, lambda text, i: build_outline(normalize(text).text))
    print(f"structure (normalize + outline): {structure:8.1f} reports/s  {structure * per_mb:6.2f} MB/s")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    full = _rate(texts, lambda text, i: parse_report(text, file=f"synthetic_{i}.txt"))
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"parse_report (everything):       {full:8.1f} reports/s  {full * per_mb:6.2f} MB/s")
    print("target: >= 200 reports/s for parse_report")
    _stages(texts[: args.stage_reports])


def _stages(texts: list[str]) -> None:
    """Milliseconds per report for each stage of `parse_report`, to show where the time goes."""
    nts = [normalize(t) for t in texts]
    stages: list[tuple[str, Callable[[NormalizedText], object]]] = [
        ("normalize", lambda nt: normalize(nt.original)),
        ("outline (sections)", lambda nt: build_outline(nt.text)),
        ("header", extract_header),
        ("claimed", extract_claimed),
        ("contact", extract_contact),
        ("regulations", find_regulations),
        ("organizations", find_organizations),
        ("people", find_people),
        ("money", find_money),
    ]
    print(f"stages on {len(nts)} reports (ms per report):")
    for name, fn in stages:
        start = time.perf_counter()
        for nt in nts:
            fn(nt)
        print(f"  {name:<20}{(time.perf_counter() - start) / len(nts) * 1000:8.2f}")


if __name__ == "__main__":
    main()
