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
