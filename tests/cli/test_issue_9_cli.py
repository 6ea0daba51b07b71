"""Issue 9, the CLI's rows: each test reproduced its row's bug before the fix.

Rows 1, 2, 4, 5, 6, 10 and 11 of the issue's table; the store's own rows (locks, interrupt marker,
corrupt files, space) are tested with the store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from ikg.app.settings import BOLT_SCHEMES, resolve_settings
from ikg.graph.errors import ConfigError, ExitCode, QueryError
from ikg.ingest.reader import DEFAULT_MAX_BYTES
from ikg.search.e5_convert import default_model_dir
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig
from ikg.search.measures import match_measures
from ikg.search.query import check_query
from ikg.search.similar import similar_issues

Ikg = Callable[..., Result]


def numbered_report(count: int, unit: str = "某某县数据资源局") -> str:
    """A rectification report whose problem section has `count` numbered 关于“…”问题 headings."""
    lines = [f"中共{unit}党组关于巡察整改情况的通报", "一、巡察反馈问题整改落实情况"]
    for n in range(1, count + 1):
        lines.append(f"{n}.关于“第{n}项工作落实不到位”问题")
        lines.append(f"整改情况：一是制定第{n}项制度。二是开展第{n}次检查。")
    return "\n".join(lines) + "\n"


def _json(result: Result) -> dict:  # type: ignore[type-arg]
    assert result.exit_code == 0, result.stderr
    payload: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return payload


# --- row 1: nothing lost silently -----------------------------------------------------------------------


def test_issue_9_row_1_a_report_with_2000_numbered_problems_keeps_2000_issues(
    ikg: Ikg, tmp_path: Path
) -> None:
    report = tmp_path / "many.txt"
    report.write_text(numbered_report(2000), encoding="utf-8")
    summary = _json(ikg("ingest", str(report), "--no-index", "--format", "json"))
    assert summary["reports"]["new"] == 1 and summary["failures"] == []
    assert summary["warnings"] == []
    stats = _json(ikg("stats", "--format", "json"))
    assert stats["issues"] == 2000
    assert stats["measures"] == 4000


def test_issue_9_row_1_the_size_limit_is_an_error_naming_the_file(ikg: Ikg, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    text = numbered_report(3)
    big.write_text(text + "说明。" * ((DEFAULT_MAX_BYTES // 9) + 1), encoding="utf-8")
    result = ikg("ingest", str(big), "--no-index")
    assert result.exit_code == ExitCode.FAILED
    assert result.stderr.startswith(f"ikg: error: {big}: file is ")
    assert "the limit for one report is 20 MB" in result.stderr


def test_issue_9_row_1_parser_warnings_are_printed_by_ingest(ikg: Ikg, tmp_path: Path) -> None:
    unclosed = tmp_path / "unclosed.txt"
    unclosed.write_text(numbered_report(2).replace("第2项工作落实不到位”问题", "第2项工作落实不到位问题"))
    result = ikg("ingest", str(unclosed), "--no-index", "--format", "json")
    assert result.exit_code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings and warnings[0]["file"] == str(unclosed)
    assert f"ikg: warning: {unclosed}: {warnings[0]['warning']}" in result.stderr


# --- row 2: empty queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n", "，。！？"])
def test_issue_9_row_2_blank_queries_are_refused_by_the_library(
    text: str | None, ikg: Ikg, home: Path
) -> None:
    with pytest.raises(QueryError) as err:
        check_query(text, "similar TEXT")
    assert err.value.exit_code == ExitCode.BAD_INPUT
    index = IndexSet(IndexConfig("unused", 4))
    from ikg.graph.ladybug_store import LadybugStore

    store = LadybugStore(home / "graph")
    try:
        with pytest.raises(QueryError, match=r"^similar TEXT: query"):
            similar_issues(store, index, text=text)
        with pytest.raises(QueryError, match=r"^measures search TEXT: query"):
            match_measures(store, index, text or "", query_embedder=lambda: pytest.fail("embedded"))
    finally:
        store.close()


# --- row 4: Bolt URIs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", BOLT_SCHEMES)
def test_issue_9_row_4_every_bolt_scheme_is_accepted(scheme: str) -> None:
    uri = f"{scheme}://db.example:7687"
    settings = resolve_settings(home=Path("/tmp/unused"), graph="neo4j", neo4j_uri=uri, env={})
    assert settings.store.uri == uri


@pytest.mark.parametrize(
    "uri",
    [
        "http://localhost:7474",
        "https://db.example",
        "garbage",
        "bolt://",
        "bolt://:7687",
        "bolt://h:0",
        "ftp://h",
    ],
)
def test_issue_9_row_4_non_bolt_uris_are_bad_settings(uri: str) -> None:
    with pytest.raises(ConfigError, match=r"^Neo4j URI .*expected bolt://"):
        resolve_settings(home=Path("/tmp/unused"), graph="neo4j", neo4j_uri=uri, env={})


def _modules_after(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the CLI in a fresh interpreter; (exit code, stderr, which heavy modules were imported)."""
    code = (
        "import sys\n"
        f"sys.argv = ['ikg', *{args!r}]\n"
        "from ikg.cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit as e:\n"
        "    heavy = [m for m in ('neo4j', 'torch', 'sentence_transformers') if m in sys.modules]\n"
        "    print(e.code, ','.join(heavy))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    exit_code, _, heavy = run.stdout.strip().partition(" ")
    return int(exit_code), run.stderr, heavy


def test_issue_9_row_4_an_http_uri_fails_before_the_driver_is_imported(tmp_path: Path) -> None:
    args = ["--graph", "neo4j", "--neo4j-uri", "http://localhost:7474", "--neo4j-password", "x", "stats"]
    code, stderr, heavy = _modules_after(args, tmp_path)
    assert code == ExitCode.BAD_INPUT
    assert stderr.startswith("ikg: error: Neo4j URI 'http://localhost:7474': not a Bolt URI")
    assert "Bolt listens on 7687" in stderr and "Traceback" not in stderr
    assert heavy == ""


# --- row 5: --home "" -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "   "])
def test_issue_9_row_5_a_blank_home_is_refused_and_nothing_is_written(value: str, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    code, stderr, _ = _modules_after(["--home", value, "stats"], cwd)
    assert (code, stderr) == (
        ExitCode.BAD_INPUT,
        "ikg: error: --home is empty; give a folder, e.g. --home ~/ikg-data\n",
    )
    assert list(cwd.iterdir()) == []


def test_issue_9_row_5_an_empty_ikg_home_and_the_source_tree_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="IKG_HOME is set but empty"):
        resolve_settings(env={"IKG_HOME": " "})
    source = Path(__file__).resolve().parents[2]
    for home in (source, source / "graph", source / "search" / "data"):
        with pytest.raises(ConfigError, match="is ikg's own source folder"):
            resolve_settings(home=home, env={})
    assert resolve_settings(home=tmp_path, env={}).home == tmp_path


# --- row 6: one bad path does not stop the others -------------------------------------------------------


def test_issue_9_row_6_a_missing_path_fails_alone_and_the_exit_code_says_so(
    ikg: Ikg, tmp_path: Path, corpus_dir: Path
) -> None:
    good = sorted(corpus_dir.glob("*.txt"))[0]
    result = ikg("ingest", str(good), "/nope.txt", "--no-index", "--format", "json")
    assert result.exit_code == ExitCode.FAILED
    assert result.stderr == "ikg: error: /nope.txt: no such file or directory\n"
    summary = json.loads(result.stdout)
    assert summary["reports"] == {"new": 1, "unchanged": 0, "replaced": 0, "merged": 0, "failed": 1}
    assert _json(ikg("stats", "--format", "json"))["reports"] == 1


# --- row 10: store flags after the subcommand -----------------------------------------------------------


def test_issue_9_row_10_store_flags_work_after_the_subcommand_and_win(
    ikg: Ikg, tmp_path: Path, corpus_dir: Path
) -> None:
    h1, h2 = tmp_path / "h1", tmp_path / "h2"
    good = str(sorted(corpus_dir.glob("*.txt"))[0])
    assert (
        _json(ikg("ingest", good, "--no-index", "--home", str(h1), "--format", "json"))["reports"]["new"] == 1
    )
    assert _json(ikg("stats", "--home", str(h1), "--format", "json"))["reports"] == 1
    assert _json(ikg("--home", str(h2), "stats", "--home", str(h1), "--format", "json"))["reports"] == 1
    assert _json(ikg("--home", str(h1), "stats", "--home", str(h2), "--format", "json"))["reports"] == 0
    links = ikg("regs", "--home", str(h1), "show", "三重一大", "--format", "json")
    assert _json(links)["title"] == "三重一大"
    neo4j = ["--graph", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:9", "--neo4j-password", "x"]
    result = ikg("ingest", good, "--no-index", *neo4j)
    assert result.exit_code == ExitCode.STORE_UNAVAILABLE
    assert result.stderr.startswith("ikg: error: cannot reach Neo4j at bolt://127.0.0.1:9")


def _leaf_commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [(*prefix, c.name or "") for c in group.registered_commands]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        found += _leaf_commands(sub.typer_instance, (*prefix, sub.name or ""))
    return found


def test_issue_9_row_10_every_command_takes_every_store_flag(app: typer.Typer) -> None:
    commands = _leaf_commands(app)
    assert ("ingest",) in commands and ("regs", "show") in commands and len(commands) >= 10
    for command in commands:
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, command
        for flag in (
            "--home",
            "--graph",
            "--neo4j-uri",
            "--neo4j-user",
            "--neo4j-password",
            "--neo4j-database",
        ):
            assert flag in result.stdout, (command, flag)
        assert "--model" in result.stdout, command


# --- row 11: model errors and the empty home, early ----------------------------------------------------


@pytest.mark.parametrize(
    "model, reason",
    [
        ("/nonexistent/model", "no such model folder"),
        ("BAAI/bge-small-zh-v1.5", "not in the local Hugging Face cache"),
        ("no-such-model", "no such model folder"),
    ],
)
def test_issue_9_row_11_a_bad_model_is_bad_settings_before_torch(
    model: str, reason: str, tmp_path: Path
) -> None:
    env = {"IKG_HOME": str(tmp_path / "home"), "HF_HUB_CACHE": str(tmp_path / "hub"), "PATH": "/usr/bin:/bin"}
    code, stderr, heavy = _modules_after(["--model", model, "similar", "财务报销不规范"], tmp_path, env)
    assert code == ExitCode.BAD_INPUT
    assert stderr.startswith(f"ikg: error: --model {model}: {reason}")
    assert heavy == ""


def test_issue_9_row_11_a_cached_hub_id_and_a_model_folder_are_accepted(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    (hub / "models--BAAI--bge-small-zh-v1.5" / "snapshots" / "abc").mkdir(parents=True)
    env = {"HF_HUB_CACHE": str(hub)}
    assert resolve_settings(home=tmp_path, model="BAAI/bge-small-zh-v1.5", env=env).model
    folder = tmp_path / "my-model"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"no modules\.json or config\.json"):
        resolve_settings(home=tmp_path, model=str(folder), env=env)
    (folder / "modules.json").write_text("[]")
    assert resolve_settings(home=tmp_path, model=str(folder), env=env).model == str(folder)


def test_issue_9_row_11_similar_on_an_empty_home_says_nothing_is_ingested_without_a_model(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    env = {"IKG_HOME": str(home), "PATH": "/usr/bin:/bin"}
    code, stderr, heavy = _modules_after(["similar", "财务报销不规范"], tmp_path, env)
    assert code == ExitCode.FAILED
    assert stderr.startswith("ikg: error: nothing ingested yet")
    assert heavy == ""
    assert not default_model_dir(home).exists()
