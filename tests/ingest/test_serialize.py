"""`ikg parse` output: the JSON object follows the gold's keys and values; the outline lists every issue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ikg.ingest.parse import parse_report
from ikg.ingest.serialize import document_to_json, document_to_outline

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "fixtures" / "gold"
STEMS = sorted(p.stem for p in GOLD.glob("0*.json"))


def _load(stem: str) -> tuple[str, dict[str, Any]]:
    text = (REPO / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
    gold: dict[str, Any] = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return text, gold


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_json_follows_the_gold(stem: str) -> None:
    text, gold = _load(stem)
    out = json.loads(json.dumps(document_to_json(parse_report(text, file=f"{stem}.txt")), ensure_ascii=False))
    for key in ("title", "publisher", "inspected_unit", "region", "inspection", "publish_date"):
        assert out[key] == gold[key], key
    assert out["regulations_all"] == gold["regulations_all"]
    got = [
        (
            c["title"],
            [
                (i["number"], i["title"], len(i["measures"]), i["regulations"], i["money"])
                for i in c["issues"]
            ],
        )
        for c in out["categories"]
    ]
    want = [
        (
            c["title"],
            [(i["number"], i["title"], i["measures"], i["regulations"], i["money"]) for i in c["issues"]],
        )
        for c in gold["categories"]
    ]
    assert got == want
    for category in out["categories"]:
        for issue in category["issues"]:
            start, end = issue["span"]
            assert text.count("\n", 0, start) + 1 == issue["line"] and start < end <= len(text)
            assert all(m["text"] and m["label"] for m in issue["measures"])
    assert set(out) >= {
        "file",
        "encoding",
        "format",
        "claimed",
        "contact",
        "regulations",
        "people",
        "money",
        "warnings",
    }


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_outline_lists_every_category_and_issue(stem: str) -> None:
    text, gold = _load(stem)
    outline = document_to_outline(parse_report(text, file=f"{stem}.txt"))
    lines = outline.splitlines()
    for category in gold["categories"]:
        assert any(category["title"] in line for line in lines)
        for issue in category["issues"]:
            assert f"  {issue['number']}. {issue['title']}" in lines
    n_issues = sum(len(c["issues"]) for c in gold["categories"])
    assert f"问题类别 {len(gold['categories'])} 个，问题 {n_issues} 个" in outline
