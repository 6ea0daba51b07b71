"""`ikg doctor`, `--repair`, `--compact`, `rebuild`, the pending marker and the writer lock, on real stores.

Runs the installed `ikg` in subprocesses (locks and markers are between processes), with the small
sentence-transformers model that a package ships for the index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ikg.graph.ladybug_store import DB_FILE
from ikg.graph.seal import SEAL_FILE
from ikg.search.embedder import bundled_minilm_path

IKG = str(Path(sys.executable).with_name("ikg"))
HOLD_LOCK = """
import sys, time
from pathlib import Path
from ikg.app.guard import writer_lock
with writer_lock(Path(sys.argv[1]), "ingest"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""

WRITE_UNDER_LOCK = """
import sys, time
from pathlib import Path
from ikg.app.guard import writer_lock
from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.job import ingest_files
home, reports = Path(sys.argv[1]), Path(sys.argv[2])
with writer_lock(home, "ingest"):
    store = LadybugStore(home / "graph")
    store.delete_report(store.reports()[0].id)  # the graph's log (and so its file mark) changes now
    print("changed", flush=True)
    time.sleep(float(sys.argv[3]))
    ingest_files([reports], store)
    store.close()
"""


def run(home: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IKG_HOME": str(home), "IKG_MODEL": str(bundled_minilm_path()), "COLUMNS": "200"}
    return subprocess.run([IKG, *args], env=env, capture_output=True, text=True, timeout=timeout)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture
def reports(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "reports"
    shutil.copytree(corpus_dir, folder)
    return folder


def test_no_index_ingest_is_noticed_named_and_repaired(tmp_path: Path, reports: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    stats = run(home, "stats")
    # asked for, so not repeated on every command; doctor names what the index lacks
    assert stats.returncode == 0 and "ikg doctor --repair" not in stats.stderr
    doctor = run(home, "doctor", "--format", "json")
    assert doctor.returncode == 1, doctor.stderr
    found = json.loads(doctor.stdout)
    assert not found["ok"] and len(found["unindexed_reports"]) == 5 and found["pending"] is not None
    repaired = run(home, "doctor", "--repair", "--format", "json")
    no_traceback(repaired)
    assert repaired.returncode == 0 and json.loads(repaired.stdout)["ok"]
    assert "doctor --repair" not in run(home, "stats").stderr
    assert run(home, "doctor").returncode == 0


def test_doctor_names_the_report_whose_index_entries_are_missing(tmp_path: Path, reports: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports)).returncode == 0
    extra = tmp_path / "later"
    extra.mkdir()
    moved = sorted(reports.iterdir())[0]
    shutil.move(moved, extra / moved.name)
    assert run(home, "delete", moved.name).returncode == 0
    assert run(home, "doctor").returncode == 0
    assert run(home, "ingest", str(extra), "--no-index").returncode == 0
    (home / "pending.json").unlink()  # as if the marker itself were lost: doctor still compares
    doctor = run(home, "doctor", "--format", "json")
    found = json.loads(doctor.stdout)
    assert doctor.returncode == 1 and [Path(f).name for f in found["unindexed_reports"]] == [moved.name]
    assert run(home, "doctor", "--repair").returncode == 0


def test_second_writer_waits_saying_for_whom_and_readers_go_on(tmp_path: Path, reports: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(home), "4"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        reader = run(home, "stats", "--format", "json")
        assert reader.returncode == 0 and "waiting" not in reader.stderr
        writer = run(home, "ingest", str(reports), "--no-index")  # waits ~4 s, then goes on
        assert writer.returncode == 0, writer.stderr
        assert f"waiting for the ingest running as PID {holder.pid} (Ctrl-C to stop waiting)" in writer.stderr
    finally:
        holder.kill()
        holder.wait()


def test_damaged_graph_says_rebuild_and_rebuild_reingests_what_still_exists(
    tmp_path: Path, reports: Path
) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    db = home / "graph" / DB_FILE
    with open(db, "r+b") as fh:
        fh.seek(db.stat().st_size // 2)
        fh.write(bytes(256 << 10))
    stats = run(home, "stats")
    no_traceback(stats)
    assert stats.returncode == 3 and "damaged" in stats.stderr and "ikg rebuild" in stats.stderr
    gone = sorted(reports.iterdir())[0]
    gone.unlink()
    rebuilt = run(home, "rebuild", "--no-index", "--format", "json")
    no_traceback(rebuilt)
    payload = json.loads(rebuilt.stdout)
    assert rebuilt.returncode == 1  # a report could not be rebuilt: said, not silent
    assert [Path(f).name for f in payload["lost"]] == [gone.name] and payload["reingested"] == 4
    assert (Path(payload["moved_to"]) / "graph" / DB_FILE).exists()
    after = json.loads(run(home, "stats", "--format", "json").stdout)
    assert after["reports"] == 4


def test_issue_9_readers_beside_a_writer_that_changes_the_file_are_not_probed_or_flagged(
    tmp_path: Path, reports: Path
) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    seal = home / "graph" / SEAL_FILE
    sealed = seal.read_text()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITE_UNDER_LOCK, str(home), str(reports), "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "changed"
        reader = run(home, "stats", "--format", "json")
        no_traceback(reader)
        assert reader.returncode == 0 and "damaged" not in reader.stderr, reader.stderr
        assert json.loads(reader.stdout)["reports"] == 4  # what the writer committed so far
        assert seal.read_text() == sealed  # the reader did not probe (a probe records what it read)
        assert writer.wait(timeout=120) == 0
    finally:
        writer.kill()
        writer.wait()
    assert seal.read_text() != sealed  # the writer's close sealed the new file
    assert json.loads(run(home, "stats", "--format", "json").stdout)["reports"] == 5


@pytest.mark.parametrize("how", ["emptied", "removed"])
def test_issue_9_an_emptied_or_removed_graph_is_rebuilt_from_sources_json(
    tmp_path: Path, reports: Path, how: str
) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    if how == "emptied":
        os.truncate(home / "graph" / DB_FILE, 0)
    else:
        shutil.rmtree(home / "graph")  # the index and sources.json still claim the reports
    for command in ("stats", "doctor"):
        said = run(home, command)
        no_traceback(said)
        assert said.returncode == 3 and "damaged" in said.stderr and "ikg rebuild" in said.stderr, said.stderr
    rebuilt = run(home, "rebuild", "--no-index", "--format", "json")
    no_traceback(rebuilt)
    assert rebuilt.returncode == 0, rebuilt.stderr
    payload = json.loads(rebuilt.stdout)
    assert payload["reingested"] == 5 and payload["lost"] == []
    assert json.loads(run(home, "stats", "--format", "json").stdout)["reports"] == 5


def test_compact_prints_sizes_and_keeps_the_graph(tmp_path: Path, reports: Path) -> None:
    home = tmp_path / "home"
    for _ in range(3):
        assert run(home, "ingest", str(reports), "--no-index").returncode == 0
        for report in sorted(reports.iterdir()):
            assert run(home, "delete", report.name).returncode == 0
    assert run(home, "ingest", str(reports), "--no-index").returncode == 0
    before = json.loads(run(home, "stats", "--format", "json").stdout)
    doctor = json.loads(run(home, "doctor", "--format", "json").stdout)
    assert doctor["reclaimable_bytes"] > 0
    compacted = run(home, "doctor", "--compact", "--repair")
    assert compacted.returncode == 0, compacted.stderr
    assert "MiB ->" in compacted.stderr
    assert json.loads(run(home, "stats", "--format", "json").stdout) == before
