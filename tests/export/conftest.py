"""Export fixtures: a store of each kind holding the example reports plus a synthetic report whose text
has what breaks exports (ASCII commas and quotes, a line starting with =, markup, a measure over two
lines), and readers that take the store's own answers as the expected figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ikg.graph.base import CypherStore
from ikg.ingest.job import ingest_files

SYNTHETIC = Path(__file__).with_name("data") / "synthetic_tricky_text.txt"


@dataclass(frozen=True)
class Loaded:
    store: CypherStore
    reports: tuple[Path, ...]  # the files ingested


@pytest.fixture
def loaded(store: CypherStore, corpus_dir: Path, tmp_path: Path) -> Loaded:
    """The store with the five example reports and the synthetic one (copied, so its path is the test's)."""
    synthetic = tmp_path / "reports" / SYNTHETIC.name
    synthetic.parent.mkdir()
    synthetic.write_text(SYNTHETIC.read_text(encoding="utf-8"), encoding="utf-8")
    files = (*sorted(corpus_dir.glob("*.txt")), synthetic)
    result = ingest_files(list(files), store)
    assert not result.failures, result.failures
    # SIMILAR_TO edges: one across two reports, one inside the synthetic report (both ends in one unit)
    first: dict[str, list[str]] = {}
    for t in store.issue_texts():
        first.setdefault(t.report_id, []).append(t.id)
    across = [ids[0] for ids in first.values()][:2]
    inside = next(ids for ids in first.values() if len(ids) == 2)
    assert store.write_similar([(across[0], across[1], 0.75), (inside[0], inside[1], 0.5)]) == 2
    return Loaded(store, files)
