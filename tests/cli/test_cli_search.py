"""`ikg ingest` with the index, `similar`, `measures search`, `reindex`, `doctor` with the real e5 model.

One ingest per module builds the graph and the index (the converted model comes from the test cache);
expected answers come from the gold similar-issue groups.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from ikg.app.settings import resolve_settings
from ikg.app.workspace import open_workspace

pytestmark = pytest.mark.slow

Ikg = Callable[..., Result]


@pytest.fixture(scope="module")
def indexed_home(
    home_beside_reports: Callable[[Path, str], tuple[Path, Path]], app: typer.Typer, corpus_dir: Path
) -> Iterator[Path]:
    """An IKG_HOME with the example reports (copied to ../reports) ingested and indexed.

    The converted model is linked from the test cache, so it is built at most once per machine.
    """
    home, reports = home_beside_reports(corpus_dir, "home")
    result = CliRunner().invoke(
        app, ["ingest", str(reports), "--format", "json"], env={"IKG_HOME": str(home)}
    )
    assert result.exit_code == 0, result.stderr
    yield home


@pytest.fixture
def run(app: typer.Typer, indexed_home: Path) -> Ikg:
    def invoke(*args: str) -> Result:
        env = {"IKG_HOME": str(indexed_home), "COLUMNS": "250"}
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


def _issue_id(run: Ikg, unit: str, number: str, title: str) -> str:
    details = json.loads(run("issue", "show", "--unit", unit, "--number", number, "--format", "json").stdout)
    return next(d["issue"]["id"] for d in details if d["issue"]["title"] == title)


def test_ingest_indexed_everything_and_a_second_ingest_embeds_nothing(run: Ikg, indexed_home: Path) -> None:
    doctor = run("doctor", "--format", "json")
    assert doctor.exit_code == 0, doctor.stdout
    check = json.loads(doctor.stdout)
    index = check["index"]
    assert check["ok"] and not any(index["missing"].values()) and not any(index["stale"].values())
    again = json.loads(run("ingest", str(indexed_home.parent / "reports"), "--format", "json").stdout)
    assert again["reports"]["unchanged"] == 5
    assert not any(again["index"]["added"].values()) and not any(again["index"]["removed"].values())
    stats = json.loads(run("stats", "--format", "json").stdout)
    assert again["index"]["total"]["issues"] == stats["issues"]
    assert again["index"]["total"]["measures"] == stats["measures"]


def test_similar_from_an_issue_finds_its_gold_group_in_other_reports(run: Ikg, gold_dir: Path) -> None:
    groups = json.loads((gold_dir / "similar_issues.json").read_text(encoding="utf-8"))["groups"]
    gold = {p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in gold_dir.glob("0*.json")}
    group = next(g for g in groups if g["theme"].startswith("采购"))
    query, other = group["members"][0], group["members"][1]
    unit = gold[query["file"]]["inspected_unit"]
    issue_id = _issue_id(run, unit, query["number"], query["title"])
    result = json.loads(run("similar", "--issue", issue_id, "--top", "5", "--format", "json").stdout)
    hits = [h for g in result["groups"] for h in g["hits"]]
    assert all(Path(h["issue"]["file"]).name != query["file"] for h in hits)  # other reports only
    assert other["title"] in [h["issue"]["title"] for h in hits]
    assert [g["unit"] for g in result["groups"]] == list(dict.fromkeys(h["issue"]["unit"] for h in hits))


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_similar_text_in_every_mode(run: Ikg, mode: str) -> None:
    result = run(
        "similar", "政府采购管理不规范，未按规定比价", "--mode", mode, "--top", "3", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    titles = [h["issue"]["title"] for g in data["groups"] for h in g["hits"]]
    assert len(titles) == 3
    assert any("采购" in t for t in titles)
    table = run("similar", "政府采购管理不规范", "--mode", mode, "--top", "3")
    assert table.exit_code == 0 and "采购" in table.stdout


def test_similar_all_json_lines_and_edges(run: Ikg) -> None:
    stats = json.loads(run("stats", "--format", "json").stdout)
    result = run(
        "similar", "--all", "--top", "3", "--format", "json", "--write-edges", "--edge-min-score", "0"
    )
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == stats["issues"]
    for line in lines:
        assert set(line) == {"issue_id", "file", "unit", "title", "similar"}
        assert 0 < len(line["similar"]) <= 3
        assert all(s["file"] != line["file"] for s in line["similar"])
        scores = [s["score"] for s in line["similar"]]
        assert scores == sorted(scores, reverse=True)
    edges = json.loads(run("stats", "--format", "json").stdout)["edges"]["SIMILAR_TO"]
    assert edges == sum(len(line["similar"]) for line in lines)
    detail = json.loads(run("issue", "show", lines[0]["issue_id"], "--format", "json").stdout)[0]
    # SIMILAR_TO is browsable from both ends: the issue's own matches are among what it shows
    assert {s["issue_id"] for s in lines[0]["similar"]} <= {s[0]["id"] for s in detail["similar"]}


def test_measures_search_by_meaning(run: Ikg) -> None:
    result = run("measures", "search", "催缴欠缴的工会经费", "--top", "5", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 5
    assert any("催缴" in h["measure"]["text"] or "欠缴" in h["measure"]["text"] for h in hits)
    assert all(h["measure"]["issue"]["file"] and h["measure"]["line"] > 0 for h in hits)
    table = run("measures", "search", "催缴欠缴的工会经费", "--top", "5")
    assert table.exit_code == 0, table.stderr
    assert "…" not in table.stdout  # long measures fold onto more lines instead of being cut
    for h in hits:  # and each keeps its file:line on one line
        assert f"{Path(h['measure']['issue']['file']).name}:{h['measure']['line']}" in table.stdout


def test_unknown_issue_is_a_clear_error(run: Ikg) -> None:
    result = run("similar", "--issue", "iss_0000000000000000")
    assert result.exit_code == 1 and "ikg: error: no issue" in result.stderr


def test_doctor_notices_a_graph_change_and_reindex_repairs(run: Ikg, indexed_home: Path) -> None:
    settings = resolve_settings(home=indexed_home, env={})
    with open_workspace(settings, write="delete") as ws:  # delete behind the index's back
        report = ws.store.reports()[0]
        ws.store.delete_report(report.id)
    doctor = run("doctor", "--format", "json")
    assert doctor.exit_code == 1
    assert any(json.loads(doctor.stdout)["index"]["stale"].values())
    result = run("reindex", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert run("doctor").exit_code == 0


def test_index_built_with_another_model_asks_for_reindex(app: typer.Typer, indexed_home: Path) -> None:
    from ikg.search.embedder import bundled_minilm_path

    result = CliRunner().invoke(
        app, ["--model", str(bundled_minilm_path()), "similar", "采购"], env={"IKG_HOME": str(indexed_home)}
    )
    assert result.exit_code == 1
    assert "run 'ikg reindex'" in result.stderr
