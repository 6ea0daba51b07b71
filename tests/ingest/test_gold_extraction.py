"""The parser against the hand-made gold, with the thresholds of the brief, and the scorer itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ikg.ingest.document import ReportDocument
from ikg.ingest.evaluate import ReportScore, score_report, total_score
from ikg.ingest.parse import parse_report

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "fixtures" / "gold"
STEMS = sorted(p.stem for p in GOLD.glob("0*.json"))


def _gold(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def _parse(stem: str) -> ReportDocument:
    text = (REPO / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
    return parse_report(text, file=f"{stem}.txt")


@pytest.fixture(scope="module")
def scores() -> dict[str, ReportScore]:
    return {stem: score_report(_parse(stem), _gold(stem)) for stem in STEMS}


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_structure_matches_gold(stem: str, scores: dict[str, ReportScore]) -> None:
    score = scores[stem]
    categories = score.counts("categories")
    assert categories.fp == categories.fn == 0, next(s for s in score.sets if s.name == "categories")
    assert score.counts("issues").f1 >= 0.97
    assert score.measure_accuracy >= 0.95, [m for m in score.measure_counts if not m.correct]
    for name in ("statuses", "short_titles", "title_parts"):
        assert score.counts(name).f1 == 1.0, next(s for s in score.sets if s.name == name)


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_regulations_match_gold(stem: str, scores: dict[str, ReportScore]) -> None:
    assert scores[stem].counts("issue_regulations").f1 >= 0.95
    assert scores[stem].counts("regulations_all").f1 >= 0.95


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_inspection_facts_match_gold(stem: str, scores: dict[str, ReportScore]) -> None:
    wanted = {
        "inspected_unit",
        "inspection.team",
        "inspection.start",
        "inspection.end",
        "inspection.feedback_date",
    }
    wrong = [f for f in scores[stem].fields if f.name in wanted and not f.correct]
    assert wrong == []


def test_totals_meet_the_targets(scores: dict[str, ReportScore]) -> None:
    total = total_score(list(scores.values()))
    assert total.counts("issues").f1 >= 0.97
    assert total.counts("issue_regulations").f1 >= 0.95
    assert total.measure_accuracy >= 0.95


def test_section_pseudo_category_and_implied_categories() -> None:
    gold = _gold("003_230e05e8743505ae")
    doc = _parse("003_230e05e8743505ae")
    assert [c.is_section for c in doc.categories] == [bool(c.get("is_section")) for c in gold["categories"]]
    expected = [i.get("implied_category") for c in gold["categories"] for i in c["issues"]]
    assert [i.implied_category for i in doc.issues] == expected


def test_category_without_issues_is_kept() -> None:
    gold = _gold("004_f3b171d41096f4fe")
    doc = _parse("004_f3b171d41096f4fe")
    assert [len(c.issues) for c in doc.categories] == [len(c["issues"]) for c in gold["categories"]]


# --- the scorer ---------------------------------------------------------------------------------------


def test_scorer_counts_a_missing_issue_and_a_wrong_measure_count() -> None:
    stem = "002_19e7858dee5403fa"
    gold = _gold(stem)
    doc = _parse(stem)
    first, *rest = doc.categories
    dropped = first.issues[0]
    damaged_issue = replace(first.issues[1], measures=first.issues[1].measures[:1])
    damaged = replace(doc, categories=(replace(first, issues=(damaged_issue, *first.issues[2:])), *rest))
    score = score_report(damaged, gold)
    n_issues = sum(len(c["issues"]) for c in gold["categories"])
    issues = score.counts("issues")
    assert (issues.tp, issues.fp, issues.fn) == (n_issues - 1, 0, 1)
    assert issues.recall == pytest.approx((n_issues - 1) / n_issues)
    wrong = [m for m in score.measure_counts if not m.correct]
    assert [(m.key, m.actual) for m in wrong] == [(f"1.{dropped.number}", None), ("1.2", 1)]
    assert next(s for s in score.sets if s.name == "issues").missed == (
        str((1, dropped.number, dropped.title)),
    )


def test_scorer_matches_organizations_leniently() -> None:
    stem = "004_f3b171d41096f4fe"
    gold = dict(_gold(stem), organizations=["黑龙江省委", "伊春市审计局"])
    score = score_report(_parse(stem), gold)
    orgs = next(s for s in score.sets if s.name == "organizations")
    assert orgs.counts.tp == 2 and orgs.missed == ()


def test_scorer_reports_wrong_header_fields() -> None:
    stem = "000_07052eb1f8f2edde"
    gold = _gold(stem)
    gold["inspection"] = dict(gold["inspection"], team="县委第二巡察组")
    score = score_report(_parse(stem), gold)
    wrong = [(f.name, f.expected) for f in score.fields if not f.correct]
    assert wrong == [("inspection.team", "县委第二巡察组")]
