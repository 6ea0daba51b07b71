"""`ikg parse/ingest/stats/units/regs/issue/delete` on the real embedded store, checked against the gold."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import Result

from ikg.ingest.extract.regulations import canonical_regulation

Ikg = Callable[..., Result]


def gold_issue_count(gold_docs: dict[str, dict]) -> int:  # type: ignore[type-arg]
    return sum(len(c["issues"]) for g in gold_docs.values() for c in g["categories"])


def test_help_does_not_import_torch() -> None:
    code = (
        "import sys; from ikg.cli.app import build_app; from typer.testing import CliRunner;"
        "r = CliRunner().invoke(build_app(), ['--help']); assert r.exit_code == 0, r.output;"
        "assert 'similar' in r.output; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [((*prefix, c.name or c.callback.__name__), c.callback) for c in group.registered_commands]  # type: ignore[union-attr]
    for sub in group.registered_groups:
        found += _commands(sub.typer_instance, (*prefix, sub.name or ""))  # type: ignore[arg-type]
    return found


def test_every_command_has_help_with_an_example_and_is_in_the_readme(app: typer.Typer, ikg: Ikg) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    commands = _commands(app)
    assert len(commands) >= 11
    for path, _ in commands:
        result = ikg(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"ikg {' '.join(path)} --help gives no example"
        assert f"ikg {' '.join(path)}" in readme, f"README does not mention 'ikg {' '.join(path)}'"


def test_parse_json_lines_match_gold(ikg: Ikg, corpus_dir: Path, gold_docs: dict[str, dict]) -> None:  # type: ignore[type-arg]
    result = ikg("parse", str(corpus_dir), "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(d["file"]).name for d in lines] == sorted(gold_docs)
    for doc in lines:
        gold = gold_docs[Path(doc["file"]).name]
        assert doc["inspected_unit"] == gold["inspected_unit"]
        assert [i["title"] for c in doc["categories"] for i in c["issues"]] == [
            i["title"] for c in gold["categories"] for i in c["issues"]
        ]
        first = doc["categories"][0]["issues"][0]
        assert {"text", "span"} <= set(first["measures"][0]) if first["measures"] else True


def test_parse_reports_bad_files_and_goes_on(ikg: Ikg, corpus_dir: Path, tmp_path: Path) -> None:
    shutil.copy(corpus_dir / "000_07052eb1f8f2edde.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    result = ikg("parse", str(tmp_path), "--format", "text")
    assert result.exit_code == 1
    assert f"ikg: error: {tmp_path / 'empty.txt'}: file is empty" in result.stderr
    assert "notes.xlsx" in result.stderr and "skipped" in result.stderr
    assert "基层工会建设力度不足" in result.stdout


def _stats(ikg: Ikg) -> dict:  # type: ignore[type-arg]
    result = ikg("stats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_ingest_twice_is_idempotent(ikg: Ikg, corpus_dir: Path, gold_docs: dict[str, dict]) -> None:  # type: ignore[type-arg]
    first = ikg("ingest", str(corpus_dir), "--no-index", "--format", "json")
    assert first.exit_code == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["reports"] == {"new": 5, "unchanged": 0, "replaced": 0, "merged": 0, "failed": 0}
    stats = _stats(ikg)
    assert stats["reports"] == len(gold_docs)
    assert stats["issues"] == gold_issue_count(gold_docs)
    assert stats["categories"] == sum(len(g["categories"]) for g in gold_docs.values())
    again = json.loads(ikg("ingest", str(corpus_dir), "--no-index", "--format", "json").stdout)
    assert again["reports"] == {"new": 0, "unchanged": 5, "replaced": 0, "merged": 0, "failed": 0}
    assert again["nodes_written"] == 0
    assert _stats(ikg) == stats


def test_copy_in_another_folder_joins_its_report(ikg: Ikg, corpus_dir: Path, tmp_path: Path) -> None:
    seed = corpus_dir / "000_07052eb1f8f2edde.txt"
    copy = tmp_path / "archive" / "copy.md"
    copy.parent.mkdir()
    copy.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    assert ikg("ingest", str(seed), "--no-index").exit_code == 0
    before = _stats(ikg)
    summary = json.loads(ikg("ingest", str(copy), "--no-index", "--format", "json").stdout)
    assert summary["reports"]["merged"] == 1 and summary["reports"]["new"] == 0
    assert _stats(ikg) == before
    assert ikg("delete", str(copy)).exit_code == 0  # either file names the report
    assert _stats(ikg)["reports"] == 0


def test_changed_report_is_replaced(ikg: Ikg, corpus_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    text = (corpus_dir / "000_07052eb1f8f2edde.txt").read_text(encoding="utf-8")
    report.write_text(text, encoding="utf-8")
    assert ikg("ingest", str(report), "--no-index").exit_code == 0
    before = _stats(ikg)
    report.write_text(text.replace("基层工会建设力度不足", "基层工会组建力度不足"), encoding="utf-8")
    summary = json.loads(ikg("ingest", str(report), "--no-index", "--format", "json").stdout)
    assert summary["reports"]["replaced"] == 1
    assert _stats(ikg)["issues"] == before["issues"]
    detail = json.loads(ikg("issue", "show", "--unit", "惠东县", "--number", "1", "--format", "json").stdout)
    assert detail[0]["issue"]["title"] == "基层工会组建力度不足"


def test_bad_file_fails_without_touching_the_graph(ikg: Ikg, corpus_dir: Path, tmp_path: Path) -> None:
    assert ikg("ingest", str(corpus_dir / "000_07052eb1f8f2edde.txt"), "--no-index").exit_code == 0
    before = _stats(ikg)
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "prose.txt").write_text("今天天气很好。我们去公园散步。\n" * 20, encoding="utf-8")
    result = ikg("ingest", str(tmp_path), "--no-index")
    assert result.exit_code == 1
    assert f"ikg: error: {tmp_path / 'bin.txt'}:" in result.stderr
    assert f"ikg: error: {tmp_path / 'prose.txt'}: no numbered problems found" in result.stderr
    assert _stats(ikg) == before


def test_units_regs_and_issue_browse_both_ways(
    ikg: Ikg, corpus_dir: Path, gold_docs: dict[str, dict]
) -> None:  # type: ignore[type-arg]
    assert ikg("ingest", str(corpus_dir), "--no-index").exit_code == 0
    units = {u["name"]: u for u in json.loads(ikg("units", "--format", "json").stdout)}
    assert set(units) == {g["inspected_unit"] for g in gold_docs.values()}
    for gold in gold_docs.values():
        assert units[gold["inspected_unit"]]["issues"] == sum(len(c["issues"]) for c in gold["categories"])

    # which issues cite the accounting law, by its alias: every gold issue naming it must be listed
    law = canonical_regulation("会计法")
    expected = {
        (g["inspected_unit"], i["title"])
        for g in gold_docs.values()
        for c in g["categories"]
        for i in c["issues"]
        if any(canonical_regulation(r) == law for r in i["regulations"])
    }
    assert expected
    links = json.loads(ikg("regs", "show", "《会计法》", "--format", "json").stdout)
    assert links["title"] == law
    assert {(i["unit"], i["title"]) for i in links["issues"]} == expected
    table = ikg("regs", "show", "会计法")
    assert table.exit_code == 0 and "财务制度执行不到位" in table.stdout

    # and back: the issue lists the law among its regulations
    unit, title = sorted(expected)[0]
    number = next(
        i["number"]
        for g in gold_docs.values()
        if g["inspected_unit"] == unit
        for c in g["categories"]
        for i in c["issues"]
        if i["title"] == title
    )
    details = json.loads(ikg("issue", "show", "--unit", unit, "--number", number, "--format", "json").stdout)
    detail = next(d for d in details if d["issue"]["title"] == title)
    assert law in {r["title"] for r in detail["regulations"]}
    assert detail["issue"]["file"].endswith(".txt") and detail["issue"]["line"] > 0

    regs = {r["title"]: r for r in json.loads(ikg("regs", "--unit", unit, "--format", "json").stdout)}
    assert regs[law]["issues"] >= 1


def test_delete_removes_only_that_report(ikg: Ikg, corpus_dir: Path, gold_docs: dict[str, dict]) -> None:  # type: ignore[type-arg]
    assert ikg("ingest", str(corpus_dir), "--no-index").exit_code == 0
    before = _stats(ikg)
    result = ikg("delete", "001_042d121b569874ff.txt", "--format", "json")
    assert result.exit_code == 0, result.stderr
    gold = gold_docs["001_042d121b569874ff.txt"]
    after = _stats(ikg)
    assert after["reports"] == before["reports"] - 1
    assert after["issues"] == before["issues"] - sum(len(c["issues"]) for c in gold["categories"])
    missing = ikg("delete", "001_042d121b569874ff.txt")
    assert missing.exit_code == 1 and "no report" in missing.stderr


def test_unknown_graph_kind_is_a_config_error(ikg: Ikg) -> None:
    result = ikg("stats", "--graph", "sqlite")
    assert result.exit_code == 2
    assert "ikg: error: unknown graph store 'sqlite'" in result.stderr


def test_neo4j_without_uri_says_what_to_set(ikg: Ikg) -> None:
    env_uri = os.environ.pop("NEO4J_URI", None)
    try:
        result = ikg("stats", "--graph", "neo4j")
    finally:
        if env_uri is not None:
            os.environ["NEO4J_URI"] = env_uri
    assert result.exit_code == 2
    assert "NEO4J_URI" in result.stderr


@pytest.mark.parametrize("args", [("similar",), ("issue", "show")])
def test_missing_arguments_are_usage_errors(ikg: Ikg, args: tuple[str, ...]) -> None:
    assert ikg(*args).exit_code == 2
