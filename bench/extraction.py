"""Extraction quality against the gold: the full reports, then the openings of other units' reports.

    .venv/bin/python bench/extraction.py [--gold DIR] [--corpus DIR] [--openings DIR] [--details]

Full reports: every `<stem>.txt` of the corpus (examples/reports) that has a gold `<stem>.json`
(../shared/gold next to the repository when it exists, else tests/fixtures/gold). Prints P/R/F1 per field
and report, header-field accuracy, and measure-count accuracy. Targets: every field F1 1.000, metadata exact.

Openings: `docs/cNN.txt` with `gold/cNN.json` (../shared/openings when present, else tests/fixtures/openings),
scored by the rules of their README (`ingest.evaluate.score_opening`): unit (strict full name), team, period,
feedback date, issue recall, and false problems per document. Targets: unit, team, period, feedback >= 0.95,
issue recall 1.0, false problems <= 0.05 per document.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ikg.ingest.evaluate import (
    FIELD_NAMES,
    OPENING_FIELDS,
    SET_NAMES,
    OpeningScore,
    ReportScore,
    score_opening,
    score_report,
    total_openings,
    total_score,
)
from ikg.ingest.parse import parse_report

REPO = Path(__file__).resolve().parent.parent


def _default_gold() -> Path:
    shared = REPO.parent / "shared" / "gold"
    return shared if shared.is_dir() else REPO / "tests" / "fixtures" / "gold"


def _default_openings() -> Path:
    shared = REPO.parent / "shared" / "openings"
    return shared if shared.is_dir() else REPO / "tests" / "fixtures" / "openings"


def _score_openings(root: Path) -> list[OpeningScore]:
    scores = []
    for gold_path in sorted((root / "gold").glob("*.json")):
        text_path = root / "docs" / f"{gold_path.stem}.txt"
        if text_path.is_file():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            doc = parse_report(text_path.read_text(encoding="utf-8"), file=text_path.name)
            scores.append(score_opening(doc, gold))
    return scores


def _openings_table(scores: list[OpeningScore]) -> list[str]:
    header = f"{'doc':<6}" + "".join(f"{n:>10}" for n in OPENING_FIELDS) + f"{'issues':>10}{'false':>8}"
    lines = [header, "-" * len(header)]
    for s in scores:
        marks = "".join(f"{('ok' if s.field(n).correct else 'x'):>10}" for n in OPENING_FIELDS)
        found = len(s.expected_issues) - len(s.missed)
        lines.append(
            f"{Path(s.file).stem:<6}{marks}{f'{found}/{len(s.expected_issues)}':>10}{len(s.false_problems):>8}"
        )
    t = total_openings(scores)
    lines.append("-" * len(header))
    accuracy = "".join(f"{t.field_accuracy(n):>10.3f}" for n in OPENING_FIELDS)
    lines.append(f"{'total':<6}{accuracy}{t.issue_recall:>10.3f}{t.false_per_document:>8.3f}")
    lines.append(
        f"issue recall {t.found_gold_issues}/{t.gold_issues} = {t.issue_recall:.3f}; "
        f"false problems {t.false_problems} in {t.documents} documents = "
        f"{t.false_per_document:.3f} per document"
    )
    return lines


def _opening_details(scores: list[OpeningScore]) -> list[str]:
    lines: list[str] = []
    for s in scores:
        wrong = [f for f in s.fields if not f.correct]
        if not (wrong or s.missed or s.false_problems or s.forgiven):
            continue
        lines.append(f"== {s.file}")
        lines.extend(f"   {f.name}: expected {f.expected!r}, got {f.actual!r}" for f in wrong)
        lines.extend(f"   issue missed: {t}" for t in s.missed)
        lines.extend(f"   false problem: {t}" for t in s.false_problems)
        if s.forgiven:
            lines.append(f"   forgiven (last of a cut-off text): {s.forgiven}")
    return lines


def _score_all(gold_dir: Path, corpus_dir: Path) -> list[ReportScore]:
    scores = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        text_path = corpus_dir / f"{gold_path.stem}.txt"
        if not text_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if "categories" not in gold:
            continue  # similar_issues.json and other non-report files
        doc = parse_report(text_path.read_text(encoding="utf-8"), file=text_path.name)
        scores.append(score_report(doc, gold))
    return scores


def _prf_table(scores: list[ReportScore]) -> list[str]:
    stems = [s.file.split("_")[0] for s in scores]
    header = f"{'field':<18}" + "".join(f"{stem:>18}" for stem in stems) + f"{'total P / R / F1':>24}"
    lines = [header, "-" * len(header)]
    total = total_score(scores)
    for name in SET_NAMES:
        row = f"{name:<18}"
        for s in scores:
            c = s.counts(name)
            row += f"{c.f1:.3f} ({c.tp}/{c.tp + c.fn})".rjust(18)
        t = total.counts(name)
        row += f"{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>8.3f}"
        lines.append(row)
    row = f"{'measure counts':<18}"
    for s in scores:
        right = sum(m.correct for m in s.measure_counts)
        row += f"{s.measure_accuracy:.3f} ({right}/{len(s.measure_counts)})".rjust(18)
    row += f"{'acc':>8}{'':>8}{total.measure_accuracy:>8.3f}"
    lines.append(row)
    return lines


def _field_table(scores: list[ReportScore]) -> list[str]:
    stems = [s.file.split("_")[0] for s in scores]
    header = f"{'header field':<26}" + "".join(f"{stem:>6}" for stem in stems) + f"{'accuracy':>10}"
    lines = [header, "-" * len(header)]
    total = total_score(scores)
    for name in FIELD_NAMES:
        marks = "".join(
            f"{('ok' if f.correct else 'x'):>6}" for s in scores for f in s.fields if f.name == name
        )
        lines.append(f"{name:<26}{marks}{total.field_accuracy(name):>10.3f}")
    return lines


def _details(scores: list[ReportScore]) -> list[str]:
    lines: list[str] = []
    for s in scores:
        lines.append(f"== {s.file}")
        for f in s.fields:
            if not f.correct:
                lines.append(f"   {f.name}: expected {f.expected!r}, got {f.actual!r}")
        for st in s.sets:
            for item in st.missed:
                lines.append(f"   {st.name} missed: {item}")
            for item in st.spurious:
                lines.append(f"   {st.name} spurious: {item}")
        for m in s.measure_counts:
            if not m.correct:
                lines.append(f"   measures {m.key}: expected {m.expected}, got {m.actual}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=_default_gold())
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    parser.add_argument(
        "--openings", type=Path, default=_default_openings(), help="folder with docs/ and gold/"
    )
    parser.add_argument("--details", action="store_true", help="list every miss and spurious item")
    args = parser.parse_args()
    scores = _score_all(args.gold, args.corpus)
    if not scores:
        parser.error(f"no report in {args.corpus} has a gold file in {args.gold}")
    print(f"gold: {args.gold}  corpus: {args.corpus}  reports: {len(scores)}")
    print("cells: F1 (hits/gold items)")
    print()
    print("\n".join(_prf_table(scores)))
    print()
    print("\n".join(_field_table(scores)))
    if args.details:
        print()
        print("\n".join(_details(scores)))
    openings = _score_openings(args.openings)
    if openings:
        print()
        print(f"openings: {args.openings}  documents: {len(openings)}")
        print("\n".join(_openings_table(openings)))
        if args.details:
            print()
            print("\n".join(_opening_details(openings)))


if __name__ == "__main__":
    main()
