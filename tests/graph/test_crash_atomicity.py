"""A process killed while writing leaves every report whole or absent (LadybugDB's WAL, not our code)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import ReportGraph

WRITER = Path(__file__).with_name("crash_writer.py")


def _kill_during(path: Path, writes: int, delay: float, *args: str) -> list[str]:
    """Run the writer until it starts write number `writes`, SIGKILL it `delay` s later; return all it
    printed, including lines after write number `writes` (on a busy machine it may get further)."""
    command = [sys.executable, str(WRITER), str(path), *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while sum(line.startswith("WRITING") for line in lines) < writes:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"writer exited early with {proc.wait()} after {lines}")
            lines.append(line.strip())
        time.sleep(delay)  # not a timing assertion: only spreads the kill over the transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    lines += [line.strip() for line in proc.stdout.read().splitlines()]
    return lines


# Report 3 replaces report 1; the delays put the kill early and late inside a ~10-20 ms transaction.
@pytest.mark.parametrize("writes, delay", [(4, 0.002), (5, 0.004), (9, 0.008), (12, 0.0)])
def test_killed_writer_leaves_only_whole_reports(
    tmp_path: Path, factory: ModuleType, crash_writer: ModuleType, writes: int, delay: float
) -> None:
    writer = crash_writer
    path = tmp_path / "graph"
    printed = _kill_during(path, writes, delay)
    committed = {int(Path(line.split()[1]).stem) for line in printed if line.startswith("WROTE")}

    store = LadybugStore(path)  # reopening replays the log
    try:
        present: list[ReportGraph] = []
        for ref in store.reports():
            i = int(Path(ref.file).stem)
            versions = {g.report.digest: g for g in (writer.original(i), writer.variant(i))}
            assert ref.digest in versions, f"report {ref.file} has a digest no version of it has"
            present.append(versions[ref.digest])
        indices = {int(Path(g.report.file).stem) for g in present}
        assert committed <= indices  # what the writer saw committed survived
        assert indices <= set(range(max(committed) + 2))  # at most the one in flight besides
        # Every present report whole, nothing of an absent or rolled-back one: the counts add up exactly.
        assert_whole(store, factory, present)
    finally:
        store.close()


BATCH = 6


# A batch of 6 originals and 2 replacements is a ~50-150 ms transaction; the delays spread the kill over it.
@pytest.mark.parametrize("batches, delay", [(1, 0.01), (2, 0.0), (3, 0.03), (4, 0.08)])
def test_killed_batch_writer_leaves_whole_batches(
    tmp_path: Path, factory: ModuleType, crash_writer: ModuleType, batches: int, delay: float
) -> None:
    writer = crash_writer
    path = tmp_path / "graph"
    printed = _kill_during(path, batches, delay, str(BATCH))
    started = [line.split()[1:] for line in printed if line.startswith("WRITING")]
    committed = sum(line == "WROTE" for line in printed)
    assert len(started) >= batches and committed in (len(started) - 1, len(started))

    def state(n: int) -> dict[str, ReportGraph]:
        """The reports after the first n batches committed, by file: each report's last version."""
        out: dict[str, ReportGraph] = {}
        for items in started[:n]:
            for item in items:
                i, version = item.split(":")
                g = writer.graph(int(i), version)
                out[g.report.file] = g
        return out

    store = LadybugStore(path)  # reopening replays the log
    try:
        found = {r.file: r.digest for r in store.reports()}
        # The batch in flight is all there or not at all (it may have committed just before the kill).
        candidates = [state(committed), state(len(started))]
        matches = [c for c in candidates if found == {f: g.report.digest for f, g in c.items()}]
        assert matches, f"reports {sorted(found)} are neither {committed} nor {len(started)} whole batches"
        present = list(matches[0].values())
        # ...and every report in it whole: the counts add up exactly.
        assert_whole(store, factory, present)
    finally:
        store.close()


def assert_whole(store: LadybugStore, factory: ModuleType, present: list[ReportGraph]) -> None:
    """The store holds exactly the `present` reports, each with all its issues and measures."""
    assert store.stats() == factory.expected_stats(present)
    texts = store.issue_texts()
    assert sorted(t.id for t in texts) == sorted(i.id for g in present for i in g.issues)
    assert all(
        len(t.measures) == len([m for g in present for m in g.measures if m.issue_id == t.id]) for t in texts
    )
