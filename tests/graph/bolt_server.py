"""Start a throwaway ArcadeDB server with its Bolt plugin, for the Neo4j store tests and the store benchmark.

Run as a script it IS the server (a JVM in its own process, so a crash or a kill cannot take pytest down):
it listens on 127.0.0.1 only, creates the database, writes `ready.json` into its root directory and serves
until its stdin closes. `start_bolt_server()` is the parent side. Loaded by path from
`tests/graph/conftest.py` and `bench/ingest_speed_store.py`, so there is exactly one copy.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

READY_FILE = "ready.json"
DATABASE = "ikg"
USER = "root"
PASSWORD = "ikg-test-password"  # a throwaway server on loopback; never a real credential
START_TIMEOUT_S = 180.0  # the JVM cold start takes a few seconds; this only bounds a hang


@dataclass(frozen=True, slots=True)
class BoltServer:
    uri: str
    user: str
    password: str
    database: str | None
    process: subprocess.Popen[bytes] | None  # None: an external server (IKG_TEST_NEO4J_URI)
    log: Path | None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()  # the child's signal to stop the server cleanly
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_bolt_server(root: Path) -> BoltServer:
    """Start ArcadeDB with Bolt under `root`; raises RuntimeError with the server log when it cannot."""
    root.mkdir(parents=True, exist_ok=True)
    log = root / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(root)],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=root,  # ArcadeDB writes ./log relative to the working directory
        )
    ready = root / READY_FILE
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
            raise RuntimeError(f"ArcadeDB Bolt server did not start (exit {proc.returncode}); log:\n{tail}")
        time.sleep(0.1)
    info = json.loads(ready.read_text(encoding="utf-8"))
    return BoltServer(
        uri=f"bolt://127.0.0.1:{info['bolt_port']}",
        user=USER,
        password=PASSWORD,
        database=DATABASE,
        process=proc,
        log=log,
    )


def _serve(root: Path) -> None:
    import arcadedb_embedded as arcadedb

    bolt_port, http_port = _free_port(), _free_port()
    server = arcadedb.create_server(
        str(root / "databases"),
        root_password=PASSWORD,
        config={
            "host": "127.0.0.1",
            "http_port": http_port,
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": bolt_port,
        },
    )
    server.start()
    try:
        server.create_database(DATABASE)
        tmp = root / (READY_FILE + ".tmp")
        tmp.write_text(json.dumps({"bolt_port": bolt_port, "http_port": http_port}), encoding="utf-8")
        os.replace(tmp, root / READY_FILE)
        sys.stdin.read()  # serve until the parent closes our stdin (or dies)
    finally:
        server.stop()


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))
