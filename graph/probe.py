"""A watchdog for graph files that changed since ikg last closed them: try them in a child process first.

LadybugDB keeps no page checksums. Random bytes over some pages do not fail a query: it waits forever
(issue 9: a file overwritten near its end hung `ikg stats`; others hung a delete, or the checkpoint on
close after an ingest). So the first open of a changed file runs `python -m ikg.graph.probe DIR FILE
SECONDS [write]` with a time limit. The child opens the graph read-only and reads every node and edge
table (what `ikg stats`, the browse commands and an export read). For a writer it then also deletes every
node of a throw-away copy and closes it, which writes (and checkpoints) the pages a delete or an ingest
would: a query timeout cannot stop those waits, a child can be killed. A timeout, a crash or an error
means the file is damaged (`ProbeFailed`). An unchanged file is never probed (graph/seal.py).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ikg.graph.seal import FileMark

# Measured by bench/store_open.py on the shared 2-core machine at load 7-10: a changed 42 MiB graph (1,000
# generated reports) probes in 2.7 s for a reader (~20 MiB/s) and 8.5 s for a writer (~5 MiB/s: the copy,
# the delete and its checkpoint), an 8 MiB one in 1.0 / 1.6 s. The limits leave 4-5 times that, plus the
# child's start under load, so a healthy file is never taken for a hung one.
PROBE_BASE_SECONDS = 20.0
READ_BYTES_PER_SECOND = 5 << 20
WRITE_BYTES_PER_SECOND = 1 << 20


class ProbeFailed(Exception):
    """The child timed out, crashed or could not read the graph: `reason` says which; `message`, when set,
    is the store's own error in the child, already saying what to do."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class ProbeResult:
    reports: int
    mark: FileMark | None  # the file as the child left it (it may have folded in a killed writer's log)


def probe_seconds(size: int, *, write: bool) -> float:
    """How long a healthy graph file of `size` bytes may take to probe."""
    return PROBE_BASE_SECONDS + size / (WRITE_BYTES_PER_SECOND if write else READ_BYTES_PER_SECOND)


def probe(path: Path, db_file: str, timeout: float, *, write: bool) -> ProbeResult:
    """Try the graph in directory `path` in a child process; `ProbeFailed` after `timeout` seconds.

    `write` adds the write trial on a copy (the caller holds the writer lock, so the file stays put)."""
    args = [sys.executable, "-m", "ikg.graph.probe", str(path), db_file, f"{timeout:.0f}"]
    args += ["write"] if write else []
    doing = "reading and a trial write on a copy" if write else "reading it"
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise ProbeFailed(f"{doing} did not finish within {timeout:.0f} s") from None
        except BaseException:  # Ctrl-C: do not leave the child running
            child.kill()
            raise
        finally:
            shutil.rmtree(_trial_dir(path), ignore_errors=True)  # a killed child leaves its copy
    for line in err.splitlines():
        if line.startswith("ikg: "):  # what the child's store said to the user (a recovered log)
            print(line, file=sys.stderr)
    last = out.strip().splitlines()[-1:] or [""]
    try:
        raw = json.loads(last[0])
    except ValueError:
        tail = " ".join(err.split())[-200:]
        raise ProbeFailed(f"{doing} stopped with exit code {child.returncode}: {tail}") from None
    if "error" in raw:
        raise ProbeFailed(str(raw["error"]), str(raw["error"]))
    mark = FileMark(**raw["mark"]) if raw.get("mark") else None
    return ProbeResult(int(raw["reports"]), mark)


def _trial_dir(path: Path) -> Path:
    return path.parent / f"{path.name}.probe.tmp"


def try_everything(path: Path, db_file: str, *, write: bool) -> ProbeResult:
    """In the child: open read-only (folding in a killed writer's log first), read every table; for a
    writer, delete everything in a copy and close it."""
    from ikg.graph import cypher
    from ikg.graph.errors import StoreError
    from ikg.graph.ladybug_store import LadybugStore, damaged
    from ikg.graph.schema import EDGE_PROPS, NODES, RELS
    from ikg.graph.seal import file_mark

    store = LadybugStore(path, read_only=True, probe=False)
    try:
        reports = store.stats().reports
        for table in NODES:
            store._execute(cypher.all_nodes(table.label, tuple(p.name for p in table.props)))
        edge_props = tuple(p.name for p in EDGE_PROPS)
        for rel in RELS:
            for a, b in rel.pairs:
                store._execute(cypher.all_edges(rel.rel, a, b, edge_props))
    finally:
        store.close()
    mark = file_mark(path, db_file)
    if write:
        trial = _trial_dir(path)
        shutil.rmtree(trial, ignore_errors=True)
        try:
            try:
                trial.mkdir()
                shutil.copy2(path / db_file, trial / db_file)
            except OSError:
                pass  # no room for a copy: the read above is what can be checked
            else:
                try:
                    copy = LadybugStore(trial, probe=False)
                    try:
                        copy._execute(cypher.DELETE_EVERYTHING)
                    finally:
                        copy.close()
                except StoreError as exc:  # said of the graph, not of the copy
                    raise damaged(path, f"a trial write on a copy failed: {exc.__cause__ or exc}") from exc
        finally:
            shutil.rmtree(trial, ignore_errors=True)
    return ProbeResult(reports, mark)


def main(argv: list[str]) -> int:
    """`DIR FILE SECONDS [write]`: prints one JSON line, what was found or the error."""
    from ikg.graph.errors import IkgError

    # SIGALRM's default action ends the process even inside a hung engine call: a parent killed by -9
    # leaves no child waiting forever
    signal.alarm(int(float(argv[2])) + 2)
    try:
        result = try_everything(Path(argv[0]), argv[1], write=argv[3:] == ["write"])
    except IkgError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 1
    mark = asdict(result.mark) if result.mark else None
    print(json.dumps({"reports": result.reports, "mark": mark}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
