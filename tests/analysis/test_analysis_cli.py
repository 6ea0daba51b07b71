"""`ikg types`, `common`, `recurrence`, `measures check` on the example reports plus the synthetic second
rounds, with the real embedded store and the real converted e5 model (from the test cache).

Expected answers come from the gold (similar_issues.json, per-report JSON) and from
tests/fixtures/recurrence/expected.json, written with the second-round reports.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from ikg.analysis.metrics import adjusted_rand_index, purity
from ikg.cli.app import build_app

pytestmark = pytest.mark.slow

RECURRENCE = Path(__file__).resolve().parents[1] / "fixtures" / "recurrence"
Ikg = Callable[..., Result]


@pytest.fixture(scope="module")
def home(home_beside_reports: Callable[[Path, str], tuple[Path, Path]], corpus_dir: Path) -> Iterator[Path]:
    home, reports = home_beside_reports(corpus_dir, "home")
    for path in RECURRENCE.glob("*.txt"):
        shutil.copy(path, reports / path.name)
    result = CliRunner().invoke(build_app(), ["ingest", str(reports)], env={"IKG_HOME": str(home)})
    assert result.exit_code == 0, result.stderr
    yield home


@pytest.fixture
def run(home: Path) -> Ikg:
    app: typer.Typer = build_app()

    def invoke(*args: str) -> Result:
        env = {"IKG_HOME": str(home), "COLUMNS": "250"}
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


def _line_of(file: str, line: int) -> str:
    return Path(file).read_text(encoding="utf-8").splitlines()[line - 1]


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_types_by_unit_counts_match_the_issues_listed_with_provenance(run: Ikg, gold_dir: Path) -> None:
    doc = _json(run("types", "--framework", "六个方面", "--by", "unit", "--format", "json"))
    assert isinstance(doc, dict)
    units = {json.loads(p.read_text(encoding="utf-8"))["inspected_unit"] for p in gold_dir.glob("0*.json")}
    assert set(doc["groups"]) == units
    assert [r["type"] for r in doc["rows"]] == [
        "政治建设",
        "思想建设",
        "组织建设",
        "作风建设",
        "纪律建设",
        "反腐败",
    ]
    for row in doc["rows"]:
        assert sum(row["counts"].values()) == row["total"] == len(row["issues"])
    typed = doc["issue_types"]
    assert len(typed) == doc["issues"]
    for item in typed:
        issue = item["issue"]
        # the issue's line in its file holds the start of its title (provenance is real)
        assert issue["title"][:2] in _line_of(issue["file"], issue["line"])
        for match in item["matches"]:
            assert match["framework"] == "六个方面" and 0 < match["score"] <= 1 and match["evidence"]
    table = run("types", "--by", "year")
    assert table.exit_code == 0 and "问题类型" in table.stdout and "六项纪律" in table.stdout


def test_types_unknown_framework_is_a_clear_error(run: Ikg) -> None:
    result = run("types", "--framework", "八项规定")
    assert result.exit_code == 2 and result.stderr.startswith("ikg: error: unknown framework")


def test_common_clusters_span_units_and_agree_with_gold(run: Ikg, gold_dir: Path, tmp_path: Path) -> None:
    doc = _json(run("common", "--min-units", "2", "--format", "json"))
    assert isinstance(doc, dict)
    problems = doc["problems"]
    assert problems
    groups = json.loads((gold_dir / "similar_issues.json").read_text(encoding="utf-8"))["groups"]
    gold_of = {
        (Path(m["file"]).name, m["title"]): g for g, group in enumerate(groups) for m in group["members"]
    }
    cluster_of: dict[tuple[str, str], int] = {}
    for n, p in enumerate(problems):
        assert len(p["units"]) >= 2 and p["label"] == p["members"][0]["issue"]["title"]
        for m in p["members"]:
            assert Path(m["issue"]["file"]).exists() and m["issue"]["line"] >= 1
            cluster_of[(Path(m["issue"]["file"]).name, m["issue"]["title"])] = n
    members = sorted(gold_of)
    gold = [gold_of[k] for k in members]
    predicted = [cluster_of.get(k, -1 - i) for i, k in enumerate(members)]  # unclustered: its own singleton
    # far above chance (ARI 0) and mostly pure; bench/common_issues.py prints the figures per threshold
    assert adjusted_rand_index(gold, predicted) >= 0.2
    assert purity(gold, predicted) >= 0.8

    strict = _json(run("common", "--min-units", "3", "--threshold", "0.45", "--format", "json"))
    assert isinstance(strict, dict) and strict["threshold"] == 0.45
    assert sum(len(p["members"]) for p in strict["problems"]) <= sum(len(p["members"]) for p in problems)

    out = tmp_path / "共性问题清单.xlsx"
    result = run("common", "--min-units", "2", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "共性问题")
    assert len(rows) - 1 == sum(len(p["members"]) for p in problems)
    assert run("common", "--format", "xlsx").exit_code == 2


def test_recurrence_finds_the_repeated_problems_and_not_the_new_ones(run: Ikg) -> None:
    expected = json.loads((RECURRENCE / "expected.json").read_text(encoding="utf-8"))
    doc = _json(run("recurrence", "--format", "json"))
    assert isinstance(doc, dict)
    found = {r["later"]["title"]: r for u in doc["units"] for r in u["recurrences"]}
    for pair in expected["repeated"]:
        assert pair["later"] in found, pair
        hit = found[pair["later"]]
        assert hit["earlier"]["title"] == pair["earlier"]
        assert hit["earlier_date"] < hit["later_date"]
        assert Path(hit["later"]["file"]).name.endswith("_round2.txt")
        # 强 exactly when the earlier report said the issue was completed
        assert hit["strong"] == (hit["earlier_completed"] is True)
    for title in expected["new"]:
        assert title not in found
    assert any(r["strong"] for r in found.values())  # the 惠东 first round reported all issues completed
    one = _json(run("recurrence", "--unit", "虎林", "--format", "json"))
    assert isinstance(one, dict) and [u["unit"] for u in one["units"]] == ["虎林市总工会"]


def test_measures_check_lists_weak_rectifications_with_evidence(run: Ikg) -> None:
    doc = _json(run("measures", "check", "--unit", "惠东", "--format", "json", "--all"))
    assert isinstance(doc, list) and doc
    by_title = {c["issue"]["title"]: c for c in doc}
    # written weak in the second round: only meetings and training
    soft = by_title["文书档案未按期整理归档"]
    assert soft["weak"] and soft["only_soft"] and not soft["has_responsible"]
    solid = by_title["物品购置未经询价比价，采购台账登记不全"]
    assert not solid["only_soft"] and solid["has_responsible"]
    for c in doc:
        assert c["weak"] == bool(c["reasons"])
        for e in c["evidence"]:
            # the line where the measure (or issue) holding the phrase starts; it may run over broken lines
            lines = Path(e["file"]).read_text(encoding="utf-8").splitlines()[e["line"] - 1 : e["line"] + 4]
            assert e["phrase"] in "".join(lines), e
    table = run("measures", "check", "--unit", "惠东")
    assert table.exit_code == 0 and "整改措施检查" in table.stdout
    assert "依据（行）" in table.stdout  # evidence by line: the issue's file:line is the last column
