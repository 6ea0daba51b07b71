"""`ikg export` and `ikg import-csv` from the command line: exit codes, messages, never a half-written OUT."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from ikg.app.export.atomic import atomic_file, atomic_folder
from ikg.cli.app import build_app

Ikg = Callable[..., Result]


@pytest.fixture
def ikg(tmp_path: Path) -> Ikg:
    app = build_app()
    runner = CliRunner()

    def run(*args: str, home: str = "home") -> Result:
        env = {"IKG_HOME": str(tmp_path / home), "COLUMNS": "200"}
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


def _stats(ikg: Ikg, *args: str, home: str = "home") -> dict:  # type: ignore[type-arg]
    return json.loads(_ok(ikg("stats", "--format", "json", *args, home=home)).stdout)


@pytest.fixture
def ingested(ikg: Ikg, corpus_dir: Path) -> Ikg:
    _ok(ikg("ingest", str(corpus_dir), "--no-index"))
    return ikg


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_every_format_writes_its_file(ingested: Ikg, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stats = _stats(ingested)
    for fmt, name in (
        ("xlsx", "台账.xlsx"),
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("jsonl", "r.jsonl"),
    ):
        summary = json.loads(
            _ok(ingested("export", "--format", fmt, str(out / name), "--summary", "json")).stdout
        )
        assert (out / name).is_file() and summary["format"] == fmt and summary["unit"] is None
        assert summary["edges"] == sum(stats["edges"].values())
    assert load_workbook(out / "台账.xlsx")["整改台账"].max_row == stats["issues"] + 1
    assert len((out / "r.jsonl").read_text(encoding="utf-8").splitlines()) == stats["reports"]
    _ok(ingested("export", "-f", "neo4j-csv", str(out / "csv")))
    assert (out / "csv" / "README.md").is_file() and len(list((out / "csv").glob("*.csv"))) == 21
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "g.gexf").stat().st_mode & 0o777 == 0o666 & ~mask  # an ordinary file, not a private temp
    assert _leftovers(out) == []
    table = _ok(ingested("export", "-f", "jsonl", str(out / "x.jsonl"))).stdout
    assert "行数" in table and "x.jsonl" in table


def test_existing_out_bad_format_and_unknown_unit_are_clear_errors(ingested: Ikg, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_text("keep me", encoding="utf-8")
    result = ingested("export", "--format", "xlsx", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"ikg: error: {out}: already exists; pass --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    _ok(ingested("export", "--format", "xlsx", str(out), "--force"))
    assert load_workbook(out).sheetnames == ["整改台账", "整改措施", "涉及制度"]

    result = ingested("export", "--format", "docx", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and result.stderr.startswith("ikg: error: --format 'docx': unknown")
    assert "xlsx, graphml, gexf, neo4j-csv, jsonl" in result.stderr
    result = ingested("export", "--format", "gexf", str(tmp_path / "none" / "g.gexf"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = ingested("export", "--format", "gexf", str(tmp_path / "u.gexf"), "--unit", "没有这个单位")
    assert result.exit_code == 1 and "no inspected unit matches" in result.stderr
    result = ingested("export", "--format", "gexf", str(tmp_path / "u.gexf"), "--unit", "总工会")
    assert result.exit_code == 1 and "give a longer name" in result.stderr  # several units' names hold it
    assert not (tmp_path / "u.gexf").exists() and _leftovers(tmp_path) == []
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    result = ingested("export", "--format", "neo4j-csv", str(csv_dir))
    assert result.exit_code == 2 and "already exists" in result.stderr
    _ok(ingested("export", "--format", "neo4j-csv", str(csv_dir), "--force"))
    assert (csv_dir / "Issue.csv").is_file() and _leftovers(tmp_path) == []


def test_unit_resolves_by_alias(ingested: Ikg, tmp_path: Path) -> None:
    units = json.loads(_ok(ingested("units", "--format", "json")).stdout)
    name = units[0]["name"]
    out = tmp_path / "u.jsonl"
    summary = json.loads(
        _ok(ingested("export", "-f", "jsonl", str(out), "-u", name, "--summary", "json")).stdout
    )
    assert summary["unit"] == name and summary["rows"] == units[0]["reports"]
    (doc,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    # an alias unique to this unit (a short form no other unit's name or aliases contain) finds it too
    graphml = tmp_path / "all.graphml"
    _ok(ingested("export", "-f", "graphml", str(graphml)))
    aliases_of = {
        d["name"]: json.loads(d.get("aliases", "[]"))
        for _, d in nx.read_graphml(graphml).nodes(data=True)
        if d["node_label"] == "Organization"
    }
    names = {u["name"]: aliases_of.get(u["name"], []) for u in units}
    others = [n for u, aliases in names.items() if u != name for n in (u, *aliases)]
    unique = [a for a in names[name] if a != name and not any(a in o for o in others)]
    assert unique, names[name]
    again = tmp_path / "again.jsonl"
    summary = json.loads(
        _ok(ingested("export", "-f", "jsonl", str(again), "-u", unique[0], "--summary", "json")).stdout
    )
    assert summary["unit"] == name and again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert doc["inspected_unit"] == name


def test_import_csv_rebuilds_the_graph_in_another_home(ingested: Ikg, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    _ok(ingested("export", "-f", "neo4j-csv", str(folder)))
    out = _ok(ingested("import-csv", str(folder), "--format", "json", home="copy")).stdout
    assert json.loads(out)["nodes"] > 0
    assert _stats(ingested, home="copy") == _stats(ingested)
    for command in (["units"], ["regs"], ["regs", "show", "三重一大"]):
        assert (
            ingested(*command, "--format", "json", home="copy").stdout
            == ingested(*command, "--format", "json").stdout
        )
    again = ingested("import-csv", str(folder), home="copy")
    assert again.exit_code == 1 and "not empty" in again.stderr
    missing = ingested("import-csv", str(tmp_path / "nothing"), home="other")
    assert missing.exit_code == 2 and missing.stderr.startswith("ikg: error:")


def test_a_failed_write_leaves_out_untouched(tmp_path: Path) -> None:
    out = tmp_path / "f.txt"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(out, force=True) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert out.read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.csv").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_folder(folder, force=True) as tmp:
        (tmp / "a.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert (folder / "a.csv").read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []


@pytest.mark.bolt
def test_export_from_neo4j_loads_into_the_embedded_store(
    ikg: Ikg, corpus_dir: Path, tmp_path: Path, neo4j_env: None
) -> None:
    _ok(ikg("ingest", str(corpus_dir), "--no-index", "--graph", "neo4j"))
    folder = tmp_path / "csv"
    _ok(ikg("export", "-f", "neo4j-csv", str(folder), "--graph", "neo4j"))
    ledger = tmp_path / "n.xlsx"
    _ok(ikg("export", "-f", "xlsx", str(ledger), "--graph", "neo4j"))
    _ok(ikg("import-csv", str(folder)))
    neo4j = _stats(ikg, "--graph", "neo4j")
    assert _stats(ikg) == neo4j
    assert load_workbook(ledger)["整改台账"].max_row == neo4j["issues"] + 1
