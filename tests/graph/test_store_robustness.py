"""The real embedded store beside a writer, and after its file was damaged or truncated."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ikg.graph.compact import compact, measure
from ikg.graph.errors import ExitCode, StoreError
from ikg.graph.ladybug_store import DB_FILE, LadybugStore
from ikg.ingest.job import ingest_files

HOLD_OPEN = """
import sys, time
from ikg.graph.ladybug_store import LadybugStore
store = LadybugStore(sys.argv[1])
print("open", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


@pytest.fixture
def graph_dir(tmp_path: Path, corpus_dir: Path) -> Path:
    path = tmp_path / "graph"
    store = LadybugStore(path)
    ingest_files([corpus_dir], store)
    store.close()
    return path


def _damage(path: Path, fill: bytes) -> None:
    db = path / DB_FILE
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(fill)


@pytest.mark.parametrize("fill", ["zeros", "random"])
def test_overwritten_middle_is_detected_on_open_with_what_to_do(graph_dir: Path, fill: str) -> None:
    data = bytes(256 << 10) if fill == "zeros" else random.Random(7).randbytes(256 << 10)
    _damage(graph_dir, data)
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            store = LadybugStore(graph_dir, read_only=read_only)
            store.stats(), store.issue_texts()  # a damage the open did not see must surface as StoreError
            store.close()
        message = str(err.value)
        assert "damaged" in message and "ikg rebuild" in message and "backup" in message


def test_truncated_file_is_damaged_not_busy(graph_dir: Path) -> None:
    db = graph_dir / DB_FILE
    os.truncate(db, db.stat().st_size * 3 // 8)
    with pytest.raises(StoreError, match=r"damaged.*ikg rebuild"):
        LadybugStore(graph_dir, read_only=True)


def test_reader_opens_while_another_process_writes(graph_dir: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(graph_dir), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="another process"):
            LadybugStore(graph_dir)  # a second writer is refused…
        reader = LadybugStore(graph_dir, read_only=True)  # …a reader is not
        try:
            assert reader.stats().reports == 5
        finally:
            reader.close()
    finally:
        writer.kill()
        writer.wait()


def test_reader_after_a_killed_writer_recovers_its_log(graph_dir: Path, corpus_dir: Path) -> None:
    script = HOLD_OPEN.replace(
        'print("open", flush=True)',
        "store.delete_report(store.reports()[0].id)\nprint('open', flush=True)",
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(graph_dir), "30"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
    writer.kill()  # SIGKILL: the delete is committed in the log, not folded into the file
    writer.wait()
    store = LadybugStore(graph_dir, read_only=True)
    try:
        assert store.stats().reports == 4
    finally:
        store.close()


def test_compaction_gives_back_the_space_of_deletes_and_keeps_the_graph(
    graph_dir: Path, corpus_dir: Path
) -> None:
    for _ in range(2):
        store = LadybugStore(graph_dir)
        for ref in store.reports():
            store.delete_report(ref.id)
        ingest_files([corpus_dir], store)
        store.close()
    store = LadybugStore(graph_dir, read_only=True)
    stats, fingerprint = store.stats(), store.fingerprint()
    store.close()
    trial = measure(graph_dir)
    done = compact(graph_dir)
    assert done.after < done.before and trial.before == done.before
    assert abs(trial.after - done.after) <= 1 << 20
    store = LadybugStore(graph_dir)
    try:
        assert store.stats() == stats and store.fingerprint() == fingerprint
    finally:
        store.close()
    assert sorted(p.name for p in graph_dir.parent.iterdir()) == ["graph"]  # no work folder left


# --- issue 9: an emptied or missing file where reports were recorded; damage that hangs the engine ------


@pytest.mark.parametrize("read_only", [False, True])
def test_issue_9_a_graph_file_truncated_to_nothing_is_damaged_not_a_new_graph(
    graph_dir: Path, read_only: bool
) -> None:
    db = graph_dir / DB_FILE
    os.truncate(db, 0)
    with pytest.raises(StoreError, match=r"damaged.*empty.*5 report.*backup.*ikg rebuild") as err:
        LadybugStore(graph_dir, read_only=read_only)
    assert err.value.exit_code == ExitCode.STORE_UNAVAILABLE
    assert db.stat().st_size == 0, "a fresh schema was written over the lost graph"


def test_issue_9_a_missing_graph_that_records_claim_reports_is_damaged_and_not_created(
    tmp_path: Path,
) -> None:
    path = tmp_path / "graph"
    with pytest.raises(StoreError, match=r"damaged.*missing.*3 report.*ikg rebuild"):
        LadybugStore(path, read_only=True, claimed_reports=3)
    assert not path.exists()
    LadybugStore(path, read_only=True).close()  # nothing claimed: a new graph, as before


def test_issue_9_a_graph_emptied_on_purpose_by_deleting_every_report_reopens_empty(graph_dir: Path) -> None:
    store = LadybugStore(graph_dir)
    for ref in store.reports():
        store.delete_report(ref.id)
    store.close()
    os.truncate(graph_dir / DB_FILE, 0)  # nothing recorded any more, so nothing is lost
    store = LadybugStore(graph_dir)
    try:
        assert store.stats().reports == 0
    finally:
        store.close()


def test_issue_9_an_unchanged_graph_is_not_probed_a_changed_one_once(graph_dir: Path) -> None:
    store = LadybugStore(graph_dir, read_only=True)
    store.close()
    assert not store.probed  # closed by ikg's writer, untouched since: opens as before
    db = graph_dir / DB_FILE
    os.utime(db, ns=(db.stat().st_atime_ns, db.stat().st_mtime_ns + 10**9))  # some other program wrote it
    store = LadybugStore(graph_dir, read_only=True)
    store.close()
    assert store.probed
    store = LadybugStore(graph_dir, read_only=True)  # the probe vouched for this version of the file
    store.close()
    assert not store.probed


def test_issue_9_a_changed_graph_beside_a_running_writer_is_not_probed(graph_dir: Path) -> None:
    db = graph_dir / DB_FILE
    os.utime(db, ns=(db.stat().st_atime_ns, db.stat().st_mtime_ns + 10**9))
    store = LadybugStore(graph_dir, read_only=True, writer_running=True)
    try:
        assert not store.probed and store.stats().reports == 5
    finally:
        store.close()


USE_ALL = """
import sys
from pathlib import Path
from ikg.graph.errors import StoreError
from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.job import ingest_files
try:
    store = LadybugStore(sys.argv[1], read_only=sys.argv[2] == "read", probe_seconds=float(sys.argv[3]))
    store.stats(), store.reports(), store.issue_texts(), store.measure_texts(), store.units(), store.dump()
    if sys.argv[2] == "write":
        store.delete_report(store.reports()[0].id)
        ingest_files([Path(sys.argv[4])], store)
    store.close()
    print("used")
except StoreError as exc:
    print("error", exc)
"""

# (share of the file, seed, KiB): each hung LadybugDB before the probe, in a read, a delete or the
# checkpoint on close after an ingest
HUNG = [(0.85, 0, 256), (0.9, 1, 256), (0.95, 2, 64), (0.919, 887, 4), (0.877, 348, 4), (0.903, 824, 64)]


@pytest.mark.parametrize("mode", ["read", "write"])
@pytest.mark.parametrize(("share", "seed", "length"), HUNG)
def test_issue_9_random_bytes_near_the_end_are_an_error_never_a_hang(
    graph_dir: Path, corpus_dir: Path, share: float, seed: int, length: int, mode: str
) -> None:
    db = graph_dir / DB_FILE
    with open(db, "r+b") as fh:
        fh.seek(int(db.stat().st_size * share))
        fh.write(random.Random(seed).randbytes(length << 10))
    done = subprocess.run(
        [sys.executable, "-c", USE_ALL, str(graph_dir), mode, "10", str(corpus_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    outcome = done.stdout.strip()
    # the bytes may land in pages nothing uses; if they are used, it is the damaged message
    assert outcome == "used" or re.match(r"error .*damaged.*backup.*ikg rebuild", outcome), outcome
    assert not (graph_dir.parent / "graph.probe.tmp").exists()
