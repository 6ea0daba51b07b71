"""The real `ikg` over a table of bad inputs and faults (issue 9): no traceback, the README's exit code.

Every case runs the installed console script in a subprocess, as a user would. For each: stderr has no
"Traceback", it starts with `ikg: error:` (or, for a command line that click itself refuses, with
typer's `Usage:` and exit 2), the expected reason follows, the exit code is the one the README's "Exit
codes" table gives for that kind of failure, and nothing is written into the working directory.
No case needs the embedding model: the query cases run on one home ingested with `--no-index`, or on an
empty one, each case on its own copy. They run four at a time; the Bolt server case runs on its own.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ikg.graph.errors import ExitCode
from ikg.graph.ladybug_store import DB_FILE

IKG = str(Path(sys.executable).with_name("ikg"))
REPO = Path(__file__).resolve().parents[2]
USAGE = "Usage:"  # click's own refusal of a command line (unknown option, bad choice, missing argument)

OK, FAILED, BAD, STORE = ExitCode.OK, ExitCode.FAILED, ExitCode.BAD_INPUT, ExitCode.STORE_UNAVAILABLE


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: ExitCode
    reason: str  # what stderr says after "ikg: error: " (a prefix), or USAGE
    home: str = "ingested"  # "ingested" (examples, --no-index), "empty", or "unset" (no IKG_HOME)
    env: dict[str, str] = field(default_factory=dict)
    damage: str = ""  # done to the ingested home's graph first: a key of DAMAGE


def bad(name: str, reason: str) -> Case:
    """`ikg ingest GOOD NAME --no-index`: NAME fails with `reason`, GOOD is ingested, exit 1."""
    return Case(
        f"file-{name}",
        ("ingest", "{files}/good.txt", f"{{files}}/{name}", "--no-index", "-f", "json"),
        FAILED,
        f"{{files}}/{name}: {reason}",
        home="empty",
    )


NEO4J = ("--graph", "neo4j", "--neo4j-password", "x")
DAMAGED = "{home}/graph: the graph database is damaged "
EMPTIED = f"{DAMAGED}(graph.lbdb is empty (0 bytes), but ikg recorded 5 report(s) in it); restore"

CASES = [
    # --- report files: each fails alone, the good file beside it is ingested -----------------------------
    bad("missing.txt", "no such file or directory"),
    bad("empty.txt", "file is empty"),
    bad("blank.txt", "file has no text"),
    bad("garbage.pdf", "corrupt or truncated PDF"),
    bad("garbage.docx", "corrupt or truncated DOCX"),
    bad("zip.docx", "corrupt or truncated DOCX"),
    bad("zero.pdf", "file is empty"),
    bad("encrypted.pdf", "encrypted PDF"),
    bad("image.pdf", "corrupt or truncated PDF: no %PDF- header"),
    bad("undecodable.txt", "cannot decode"),
    bad("nuls.txt", "file has no text"),
    bad("folder.txt", "folder has no files"),
    bad("broken-link.txt", "broken symbolic link"),
    bad("nobody.html", "no article text found"),
    bad("huge-line.txt", "no numbered problems found"),
    bad("prose.txt", "no numbered problems found"),
    bad("ledger.xlsx", "unsupported file type .xlsx"),
    bad("noext", "unsupported file type (no extension)"),
    bad("empty-folder", "folder has no files"),
    bad("junk-folder", "folder has no report files"),
    Case("parse-missing", ("parse", "/nonexistent/a.txt"), FAILED, "/nonexistent/a.txt: no such file"),
    # --- settings: flags and environment ----------------------------------------------------------------
    Case("home-empty", ("--home", "", "stats"), BAD, "--home is empty", home="unset"),
    Case("home-blank-after", ("stats", "--home", "  "), BAD, "--home is empty", home="unset"),
    Case("home-env-blank", ("stats",), BAD, "IKG_HOME is set but empty", home="unset", env={"IKG_HOME": " "}),
    Case("home-source", ("--home", str(REPO), "stats"), BAD, f"--home {REPO}: is ikg's own source folder"),
    Case(
        "home-is-a-file", ("stats", "--home", "{files}/good.txt"), BAD, "--home {files}/good.txt: is a file"
    ),
    Case(
        "home-under-a-file",
        ("--home", "{files}/good.txt/h", "units"),
        BAD,
        "--home {files}/good.txt/h: is inside",
    ),
    Case("graph-unknown", ("--graph", "sqlite", "stats"), BAD, "unknown graph store 'sqlite'"),
    Case("graph-env-unknown", ("stats",), BAD, "unknown graph store 'x'", env={"IKG_GRAPH": "x"}),
    Case("neo4j-no-uri", ("stats", "--graph", "neo4j"), BAD, "--graph neo4j needs a server"),
    Case(
        "neo4j-http",
        (*NEO4J, "--neo4j-uri", "http://localhost:7474", "stats"),
        BAD,
        "Neo4j URI 'http://localhost:7474': not a Bolt URI",
    ),
    Case(
        "neo4j-https-after",
        ("stats", *NEO4J, "--neo4j-uri", "https://db.example"),
        BAD,
        "Neo4j URI 'https://db.example': not a Bolt URI",
    ),
    Case(
        "neo4j-garbage-env",
        ("stats", "--graph", "neo4j"),
        BAD,
        "Neo4j URI 'not a uri': not a Bolt URI",
        env={"NEO4J_URI": "not a uri"},
    ),
    Case(
        "neo4j-bad-port",
        (*NEO4J, "--neo4j-uri", "bolt://h:99999", "stats"),
        BAD,
        "Neo4j URI 'bolt://h:99999': no host or a bad port",
    ),
    Case(
        "neo4j-unreachable",
        (*NEO4J, "--neo4j-uri", "bolt://127.0.0.1:9", "units"),
        STORE,
        "cannot reach Neo4j at bolt://127.0.0.1:9",
    ),
    Case(
        "model-missing-folder",
        ("similar", "经费", "--model", "/nonexistent/model"),
        BAD,
        "--model /nonexistent/model: no such model folder",
    ),
    Case(
        "model-hub-not-cached",
        ("--model", "BAAI/bge-small-zh-v1.5", "reindex"),
        BAD,
        "--model BAAI/bge-small-zh-v1.5: not in the local Hugging Face cache",
    ),
    Case(
        "model-env-unknown",
        ("measures", "search", "台账"),
        BAD,
        "--model e5-large: no such model folder",
        env={"IKG_MODEL": "e5-large"},
    ),
    Case(
        "hnsw-env",
        ("stats",),
        BAD,
        "IKG_HNSW_THRESHOLD must be a whole number",
        env={"IKG_HNSW_THRESHOLD": "1e5"},
    ),
    Case("precision-env", ("stats",), BAD, "IKG_PRECISION must be one of", env={"IKG_PRECISION": "fp8"}),
    # --- command lines click refuses ------------------------------------------------------------------
    Case("format-xml", ("stats", "--format", "xml"), BAD, USAGE),
    Case("unknown-command", ("serach", "经费"), BAD, USAGE),
    Case("unknown-option", ("units", "--colour"), BAD, USAGE),
    Case("ingest-no-paths", ("ingest",), BAD, USAGE),
    Case("top-zero", ("similar", "经费", "--top", "0"), BAD, USAGE),
    Case("top-text", ("measures", "search", "台账", "--top", "ten"), BAD, USAGE),
    Case("min-score-text", ("similar", "经费", "--min-score", "high"), BAD, USAGE),
    Case("mode-unknown", ("similar", "经费", "--mode", "fuzzy"), BAD, USAGE),
    # --- queries and ids --------------------------------------------------------------------------------
    Case("similar-empty", ("similar", ""), BAD, "similar TEXT: query is empty"),
    Case("similar-blank", ("similar", "   "), BAD, "similar TEXT: query is empty"),
    Case("similar-punctuation", ("similar", "，。？"), BAD, "similar TEXT: query '，。？' has no words"),
    Case("measures-empty", ("measures", "search", ""), BAD, "measures search TEXT: query is empty"),
    Case(
        "similar-min-score-nan",
        ("similar", "经费", "--min-score", "nan"),
        BAD,
        "--min-score: must be a number",
    ),
    Case("similar-nothing", ("similar",), BAD, "give exactly one of TEXT, --issue ID or --all"),
    Case("similar-two", ("similar", "经费", "--issue", "iss_1"), BAD, "give exactly one of TEXT"),
    Case("similar-issue-blank", ("similar", "--issue", " "), BAD, "--issue: is empty"),
    Case("issue-show-blank", ("issue", "show", ""), BAD, "issue show ID: is empty"),
    Case("issue-show-nothing", ("issue", "show"), BAD, "give an issue id, or --unit and --number"),
    Case("regs-show-blank", ("regs", "show", " "), BAD, "regs show NAME: is empty"),
    Case("delete-blank", ("delete", ""), BAD, "delete REPORT: is empty"),
    Case(
        "export-over-a-file",
        ("export", "--format", "xlsx", "{files}/good.txt"),
        BAD,
        "{files}/good.txt: already exists; pass --force",
    ),
    Case(
        "export-format-unknown",
        ("export", "--format", "pdf", "out.pdf"),
        BAD,
        "--format 'pdf': unknown export",
    ),
    Case(
        "export-no-folder",
        ("export", "--format", "jsonl", "/nonexistent/d/x.jsonl"),
        BAD,
        "/nonexistent/d/x.jsonl: folder /nonexistent/d does not exist",
    ),
    Case("import-csv-missing", ("import-csv", "/nonexistent/csv"), BAD, "/nonexistent/csv: not a folder"),
    # --- things that do not exist ----------------------------------------------------------------------
    Case(
        "export-unit-unknown",
        ("export", "--format", "xlsx", "../out.xlsx", "--unit", "无此单位"),
        FAILED,
        "no inspected unit matches '无此单位'",
    ),
    Case("delete-unknown", ("delete", "no-such-report.txt"), FAILED, "no report 'no-such-report.txt'"),
    Case("issue-show-unknown", ("issue", "show", "iss_0000000000000000"), FAILED, "no issue with id"),
    Case(
        "issue-show-no-unit",
        ("issue", "show", "--unit", "无此单位", "--number", "1"),
        FAILED,
        "no issue number 1 in a unit matching '无此单位'",
    ),
    Case("regs-show-unknown", ("regs", "show", "无此法规"), FAILED, "no regulation matches '无此法规'"),
    Case("similar-no-index", ("similar", "经费"), FAILED, "no search index in"),
    Case("similar-issue-no-index", ("similar", "--issue", "iss_0"), FAILED, "no search index in"),
    # `doctor` on a graph without an index is not an error: it lists what the index lacks and exits 1
    # (tests/cli/test_doctor.py)
    Case("similar-empty-home", ("similar", "经费"), FAILED, "nothing ingested yet", home="empty"),
    Case("measures-empty-home", ("measures", "search", "台账"), FAILED, "nothing ingested yet", home="empty"),
    # --- a damaged embedded graph: never reopened as a new, empty one, never a hang ----------------------
    Case("graph-emptied", ("stats",), STORE, EMPTIED, damage="empty"),
    Case(
        "graph-emptied-ingest", ("ingest", "{files}/good.txt", "--no-index"), STORE, EMPTIED, damage="empty"
    ),
    Case("graph-shortened", ("units",), STORE, DAMAGED, damage="short"),
    Case(
        "graph-removed",
        ("regs",),
        STORE,
        f"{DAMAGED}(graph.lbdb is missing, but ikg recorded 5",
        damage="gone",
    ),
    Case("graph-random-tail", ("stats",), STORE, DAMAGED, damage="random-tail"),
    Case(
        "graph-random-tail-ingest",
        ("ingest", "{files}/good.txt", "--no-index"),
        STORE,
        DAMAGED,
        damage="random-tail",
    ),
]


def _damage(graph: Path, how: str) -> None:
    """Damage the graph directory `graph` as a failing disk, a full disk or a stray command would."""
    db = graph / DB_FILE
    if how == "empty":
        os.truncate(db, 0)
    elif how == "short":
        os.truncate(db, db.stat().st_size // 3)
    elif how == "gone":
        shutil.rmtree(graph)
    elif how == "random-tail":  # reading this hung LadybugDB (issue 9); the probe times it out or fails it
        with open(db, "r+b") as fh:
            fh.seek(db.stat().st_size * 9 // 10)
            fh.write(random.Random(0).randbytes(256 << 10))
    else:
        raise ValueError(how)


def _write_files(root: Path, corpus: Path) -> None:
    good = sorted(corpus.glob("*.txt"))[0].read_bytes()
    root.mkdir()
    (root / "good.txt").write_bytes(good)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"  \n\t\n")
    (root / "garbage.pdf").write_bytes(random.Random(1).randbytes(4000))
    (root / "garbage.docx").write_bytes(random.Random(2).randbytes(4000))
    with zipfile.ZipFile(root / "zip.docx", "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    (root / "zero.pdf").write_bytes(b"")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    (root / "encrypted.pdf").write_bytes(out.getvalue())
    (root / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(500))
    (root / "undecodable.txt").write_bytes(good[:300] + b"\xff\xfe\x80\x81" * 50 + good[300:600])
    (root / "nuls.txt").write_bytes(b"\x00" * 4096)
    (root / "folder.txt").mkdir()
    (root / "broken-link.txt").symlink_to(root / "gone.txt")
    (root / "nobody.html").write_text(
        "<html><head><title>通报</title></head><body><script>x=1</script></body></html>"
    )
    (root / "huge-line.txt").write_text("关于“问题”" * 400_000, encoding="utf-8")
    (root / "prose.txt").write_text("这是一段普通的文字，不是整改通报。\n" * 50, encoding="utf-8")
    (root / "ledger.xlsx").write_bytes(b"PK\x03\x04")
    (root / "noext").write_text("x")
    (root / "empty-folder").mkdir()
    (root / "junk-folder").mkdir()
    (root / "junk-folder" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    cwd_after: list[str]


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("error-table")
    _write_files(root / "files", corpus_dir)
    ingested = root / "ingested"
    done = subprocess.run(
        [IKG, "ingest", str(corpus_dir), "--no-index", "--format", "json"],
        env={**os.environ, "IKG_HOME": str(ingested)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return {"root": root, "files": root / "files", "ingested": ingested}


def _run(case: Case, places: dict[str, Path], extra_env: dict[str, str] | None = None) -> Run:
    cwd = places["root"] / "cwd" / case.id
    cwd.mkdir(parents=True)
    home = places["root"] / "homes" / case.id
    if case.home == "ingested":  # a copy each: cases run side by side, and the embedded store locks its file
        shutil.copytree(places["ingested"], home)
        if case.damage:
            _damage(home / "graph", case.damage)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IKG_", "NEO4J_"))}
    env.update({"COLUMNS": "200", "HF_HUB_CACHE": str(places["root"] / "no-hub-cache")})
    if case.home != "unset":
        env["IKG_HOME"] = str(home)
    env.update(case.env, **(extra_env or {}))
    args = [a.replace("{files}", str(places["files"])) for a in case.args]
    done = subprocess.run([IKG, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return Run(done.returncode, done.stdout, done.stderr, sorted(p.name for p in cwd.iterdir()))


@pytest.fixture(scope="module")
def runs(places: dict[str, Path]) -> Iterator[dict[str, Run]]:
    with ThreadPoolExecutor(4) as pool:
        yield dict(zip((c.id for c in CASES), pool.map(lambda c: _run(c, places), CASES), strict=True))


def _check(case: Case, run: Run, places: dict[str, Path]) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == case.code, (run.code, run.stderr)
    if case.reason == USAGE:
        assert run.stderr.startswith(USAGE), run.stderr
    else:
        home = places["root"] / "homes" / case.id
        expected = "ikg: error: " + case.reason.replace("{files}", str(places["files"]))
        expected = expected.replace("{home}", str(home))
        assert run.stderr.startswith(expected), run.stderr
    assert run.cwd_after == [], "written into the working directory"


def test_the_table_has_at_least_40_cases() -> None:
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_a_clear_error_and_the_readme_exit_code(
    case: Case, runs: dict[str, Run], places: dict[str, Path]
) -> None:
    _check(case, runs[case.id], places)


def test_a_damaged_graph_is_left_as_it_was_for_a_backup_or_rebuild(
    places: dict[str, Path], runs: dict[str, Run]
) -> None:
    for case in CASES:
        if case.damage == "empty":
            assert (places["root"] / "homes" / case.id / "graph" / DB_FILE).stat().st_size == 0, case.id
        if case.damage == "gone":
            assert not (places["root"] / "homes" / case.id / "graph").exists(), case.id


def test_the_good_file_beside_every_bad_one_was_ingested(
    places: dict[str, Path], runs: dict[str, Run]
) -> None:
    for case in CASES:
        if case.id.startswith("file-"):
            summary = json.loads(runs[case.id].stdout)
            assert summary["reports"] == {
                "new": 1,
                "unchanged": 0,
                "replaced": 0,
                "merged": 0,
                "failed": 1,
            }, case.id
            assert [f["file"] for f in summary["failures"]] == [str(places["files"] / case.id[5:])]


@pytest.mark.bolt
def test_a_wrong_password_against_a_real_bolt_server(bolt_server: object, places: dict[str, Path]) -> None:
    uri = bolt_server.uri  # type: ignore[attr-defined]
    case = Case(
        "neo4j-wrong-password",
        ("stats", "--graph", "neo4j", "--neo4j-uri", uri),
        STORE,
        f"Neo4j at {uri} refused user",
    )
    run = _run(case, places, {"NEO4J_USER": bolt_server.user, "NEO4J_PASSWORD": "wrong"})  # type: ignore[attr-defined]
    _check(case, run, places)


def test_the_readme_documents_these_exit_codes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| `(\d+)` \|", section, flags=re.MULTILINE)}
    assert documented == {int(c) for c in ExitCode}
