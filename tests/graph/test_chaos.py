"""Chaos: kill -9 a real `ikg ingest` / `reindex` / `delete` at random moments, 20 times.

After each kill `ikg doctor` is clean, or `ikg doctor --repair` makes it clean; at the end the graph equals
a clean ingest of the same files into a fresh home. Local and bounded: the example reports, the small
sentence-transformers model a package ships, kill delays drawn from a seeded generator.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ikg.graph.ladybug_store import LadybugStore
from ikg.search.embedder import bundled_minilm_path

pytestmark = pytest.mark.slow

IKG = str(Path(sys.executable).with_name("ikg"))
KILLS = 20
ACTIONS = ("delete", "ingest", "reindex", "delete", "ingest --no-index")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "IKG_HOME": str(home), "IKG_MODEL": str(bundled_minilm_path())}


def _ikg(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([IKG, *args], env=_env(home), capture_output=True, text=True, timeout=300)


def _graph(home: Path) -> tuple[object, list[str], list[str]]:
    store = LadybugStore(home / "graph", read_only=True)
    try:
        return (
            store.stats(),
            sorted(t.id for t in store.issue_texts()),
            sorted(Path(r.file).name for r in store.reports()),
        )
    finally:
        store.close()


def test_killed_writers_leave_a_home_doctor_can_always_make_clean(tmp_path: Path, corpus_dir: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(corpus_dir, reports)
    files = sorted(p.name for p in reports.iterdir())
    home = tmp_path / "home"
    assert _ikg(home, "ingest", str(reports)).returncode == 0
    rng = random.Random(9)
    log: list[str] = []
    for round_ in range(KILLS):
        action = ACTIONS[round_ % len(ACTIONS)]  # each kind 5 times; a delete leaves the next ingest work
        if action == "delete":
            args = ["delete", rng.choice(files)]
        elif action == "reindex":
            args = ["reindex"]
        else:
            args = ["ingest", str(reports), *(["--no-index"] if "no-index" in action else [])]
        delay = rng.uniform(0.3, 3.0)
        proc = subprocess.Popen(
            [IKG, *args], env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        time.sleep(delay)  # not a timing assertion: spreads the kill over start-up, graph write and index
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        assert "Traceback" not in err, err
        doctor = _ikg(home, "doctor")
        assert "Traceback" not in doctor.stderr, doctor.stderr
        repaired = doctor.returncode != 0
        if repaired:
            fix = _ikg(home, "doctor", "--repair")
            assert fix.returncode == 0, f"round {round_} {args}: repair failed\n{fix.stdout}\n{fix.stderr}"
            assert _ikg(home, "doctor").returncode == 0
        log.append(f"{round_}: {action} killed after {delay:.1f}s, finished={finished}, repaired={repaired}")
        missing = set(files) - set(_graph(home)[2])
        if missing and rng.random() < 0.5:  # put deleted reports back now and then
            assert _ikg(home, "ingest", str(reports), "--no-index").returncode == 0
            assert _ikg(home, "doctor", "--repair").returncode == 0
    assert _ikg(home, "ingest", str(reports)).returncode == 0
    assert _ikg(home, "doctor").returncode == 0, "\n".join(log)
    fresh = tmp_path / "fresh"
    assert _ikg(fresh, "ingest", str(reports)).returncode == 0
    assert _graph(home) == _graph(fresh), "\n".join(log)
    print("\n".join(log))
