"""`ingest_files`: parallel parsing gives the same graph; failures are collected, the rest go on."""

from __future__ import annotations

import shutil
from pathlib import Path

from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.job import ingest_files


def test_parse_workers_give_the_same_graph(corpus_dir: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(corpus_dir, reports)
    (reports / "empty.txt").write_bytes(b"")
    stats = []
    for workers in (1, 2):
        store = LadybugStore(tmp_path / f"graph{workers}")
        try:
            result = ingest_files([reports], store, workers=workers, batch=2)
            assert result.count("new") == 5
            assert [(Path(f.path).name, f.reason) for f in result.failures] == [
                ("empty.txt", "file is empty")
            ]
            stats.append((store.stats(), store.fingerprint(), store.dump()))  # dump: every span too
        finally:
            store.close()
    assert stats[0] == stats[1]


def test_issue_11_ctrl_c_stops_a_parallel_ingest_and_its_workers(corpus_dir: Path, tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group, parse workers included: ikg exits, and no worker is left."""
    import os
    import signal
    import subprocess
    import sys
    import time

    reports = tmp_path / "reports"
    reports.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    for i in range(240):  # enough files for a parse pool, and to be parsing when Ctrl-C comes
        (reports / f"r{i:03d}.txt").write_text(texts[i % len(texts)] + f"\n附{i}。", encoding="utf-8")
    home = tmp_path / "home"
    ikg = Path(sys.executable).with_name("ikg")
    proc = subprocess.Popen(
        [str(ikg), "ingest", "--no-index", str(reports)],
        env={**os.environ, "IKG_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 60
    while not (home / "graph").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("ikg ingest did not exit within 60 s of Ctrl-C") from None
    assert proc.returncode in (0, 130), err.decode()  # 0: it had finished before Ctrl-C came
    assert b"Traceback" not in err, err.decode()  # e.g. a Ctrl-C inside a store call, or its rollback
    for _ in range(100):  # the workers leave with it
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("parse workers outlived ikg")
