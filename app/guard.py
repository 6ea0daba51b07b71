"""What keeps one IKG_HOME consistent between processes: the writer lock and the pending-index marker.

- `writer_lock(home, command)`: one writer (ingest, delete, reindex, doctor --repair, rebuild) at a time.
  An `flock` on `IKG_HOME/writer.lock`, which also records the holder's PID and command, so that the next
  writer says `waiting for the ingest running as PID … (Ctrl-C to stop waiting)` and waits instead of
  failing. The kernel drops the lock when the holder dies, even by kill -9. Readers take no lock: they open
  the embedded graph read-only (see `LadybugStore`) and read the index through its atomic manifest.
- `IKG_HOME/pending.json`: written before the graph changes and removed once the search index has caught
  up. If the process is interrupted in between (Ctrl-C, kill), the next command sees the marker and says
  which reports the index lacks; `ikg doctor --repair` (or the next ingest/reindex) clears it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "writer.lock"
PENDING_FILE = "pending.json"


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    command: str


def read_holder(home: Path) -> Holder | None:
    """Who last took the writer lock (it may have finished since: pair with `lock_is_held`)."""
    try:
        raw = json.loads((home / LOCK_FILE).read_text(encoding="utf-8") or "{}")
        return Holder(int(raw["pid"]), str(raw["command"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def lock_is_held(home: Path) -> bool:
    """True while some live process holds the writer lock of `home`."""
    path = home / LOCK_FILE
    if not path.exists():
        return False
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def waiting_message(home: Path) -> str:
    holder = read_holder(home)
    if holder is None:
        return "waiting for another ikg command writing to this home (Ctrl-C to stop waiting)"
    return f"waiting for the {holder.command} running as PID {holder.pid} (Ctrl-C to stop waiting)"


@contextlib.contextmanager
def writer_lock(home: Path, command: str) -> Iterator[None]:
    """Hold the writer lock of `home` for the block; waits (saying for whom) while another writer has it."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"ikg: {waiting_message(home)}", file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)  # Ctrl-C raises KeyboardInterrupt here: stops waiting
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps({"pid": os.getpid(), "command": command}) + "\n")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- the pending-index marker ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pending:
    command: str
    pid: int
    files: tuple[str, ...]  # the report files the command was writing (empty: the whole graph)


def mark_pending(home: Path, command: str, files: Sequence[str]) -> None:
    """Record, before the graph changes, that the index will lag until `clear_pending`. Atomic."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / PENDING_FILE
    old = read_pending(home)
    merged = sorted({*(old.files if old else ()), *files})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"command": command, "pid": os.getpid(), "files": merged}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)


def read_pending(home: Path) -> Pending | None:
    path = home / PENDING_FILE
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Pending(str(raw.get("command", "?")), int(raw.get("pid", 0)), tuple(raw.get("files", ())))
    except (OSError, ValueError, TypeError, AttributeError):
        return Pending("?", 0, ())  # a damaged marker still means "check the index"


def clear_pending(home: Path) -> None:
    (home / PENDING_FILE).unlink(missing_ok=True)
