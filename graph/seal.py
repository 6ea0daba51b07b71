"""What the embedded graph file was when ikg's writer last closed it: `SEAL_FILE`, beside the file.

A writer's clean close records the file's size and modification time, and how many reports it held.
The next open compares the file with that record. Unchanged, nothing else touched it, and the open costs
nothing more. Changed (another program, a killed writer, a restored copy, damage), it is probed in a child
process first (graph/probe.py). The report count tells a new graph from a file that held reports and is now
empty or gone, which the engine would otherwise reopen as a new, empty graph.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SEAL_FILE = "ikg-seal.json"  # in the graph directory, beside graph.lbdb (ladybug_store.DB_FILE)


@dataclass(frozen=True, slots=True)
class FileMark:
    size: int
    mtime_ns: int  # a copy that keeps times (cp -p, shutil.copytree) keeps its seal; any write changes it
    log: int  # bytes of the engine's files beside the database (its write-ahead log): 0 after a clean close


@dataclass(frozen=True, slots=True)
class Seal:
    mark: FileMark
    reports: int
    writes_checked: bool = True  # False: only read through by a reader's probe; a writer probes again


def file_mark(directory: Path, db_file: str) -> FileMark | None:
    """The database file `db_file` in `directory` as it is now; None when it does not exist."""
    try:
        st = (directory / db_file).stat()
    except FileNotFoundError:
        return None
    log = 0
    for entry in os.scandir(directory):
        if entry.name.startswith(db_file) and entry.name != db_file and entry.is_file():
            log += entry.stat().st_size
    return FileMark(st.st_size, st.st_mtime_ns, log)


def read_seal(directory: Path) -> Seal | None:
    """The record of the last clean close; None if there is none or it cannot be read (then: probe)."""
    try:
        raw = json.loads((directory / SEAL_FILE).read_text(encoding="utf-8"))
        return Seal(FileMark(**raw["mark"]), int(raw["reports"]), bool(raw.get("writes_checked", True)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_seal(directory: Path, seal: Seal) -> None:
    """Record `seal` atomically. Best effort: without it the next open only probes the file again."""
    path = directory / SEAL_FILE
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(asdict(seal)) + "\n", "utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
