"""A watchdog for graph files that changed since ikg last closed them: read them whole in a child process.

LadybugDB keeps no page checksums. Random bytes over some pages do not fail a query: it waits forever
(issue 9: a file overwritten near its end hung `ikg stats`). So the first open of a changed file runs
`python -m ikg.graph.probe DIR` with a time limit: the child opens the graph read-only and reads every node
and edge table (what `ikg stats`, the browse commands and an export read), then prints what it found. A
timeout, a crash or an error means the file is damaged (`ProbeFailed`). An unchanged file is never
probed (graph/seal.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ikg.graph.seal import FileMark

# A healthy graph reads at well over 20 MB/s on a loaded 2-core machine; 20 s covers the child's start.
PROBE_BASE_SECONDS = 20.0
PROBE_BYTES_PER_SECOND = 20 << 20


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


def probe_seconds(size: int) -> float:
    """How long a healthy graph file of `size` bytes may take to read whole."""
    return PROBE_BASE_SECONDS + size / PROBE_BYTES_PER_SECOND


def probe(path: Path, db_file: str, timeout: float) -> ProbeResult:
    """Read the graph in directory `path` in a child process; `ProbeFailed` after `timeout` seconds."""
    args = [sys.executable, "-m", "ikg.graph.probe", str(path), db_file]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise ProbeFailed(f"reading it did not finish within {timeout:.0f} s") from None
        except BaseException:  # Ctrl-C: do not leave the child reading
            child.kill()
            raise
    for line in err.splitlines():
        if line.startswith("ikg: "):  # what the child's store said to the user (a recovered log)
            print(line, file=sys.stderr)
    last = out.strip().splitlines()[-1:] or [""]
    try:
        raw = json.loads(last[0])
    except ValueError:
        tail = " ".join(err.split())[-200:]
        raise ProbeFailed(f"reading it stopped with exit code {child.returncode}: {tail}") from None
    if "error" in raw:
        raise ProbeFailed(str(raw["error"]), str(raw["error"]))
    mark = FileMark(**raw["mark"]) if raw.get("mark") else None
    return ProbeResult(int(raw["reports"]), mark)


def read_everything(path: Path, db_file: str) -> ProbeResult:
    """In the child: open read-only (folding in a killed writer's log first) and read every table."""
    from ikg.graph import cypher
    from ikg.graph.ladybug_store import LadybugStore
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
    return ProbeResult(reports, file_mark(path, db_file))


def main(argv: list[str]) -> int:
    from ikg.graph.errors import IkgError

    try:
        result = read_everything(Path(argv[0]), argv[1])
    except IkgError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 1
    mark = asdict(result.mark) if result.mark else None
    print(json.dumps({"reports": result.reports, "mark": mark}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
