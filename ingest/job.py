"""Ingest job: files -> parsed documents -> one atomic graph write per report; failures are collected."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ikg.graph.errors import InputError, StoreError
from ikg.graph.rows import ReportRows, report_rows
from ikg.graph.store import GraphStore
from ikg.graph.views import WriteSummary
from ikg.ingest.reader import collect_paths, read_source

if TYPE_CHECKING:
    from ikg.ingest.document import ReportDocument

# The parser and graph builder are imported where they run: the parent of a parse pool (below) only writes,
# and importing them costs ~0.3 s of a core that is busy with the writes.


@dataclass(frozen=True, slots=True)
class FileFailure:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """One path of `parse_paths`: a document, or the reason it failed, or a note why it was skipped."""

    path: str
    document: ReportDocument | None = None
    error: str | None = None  # "<file>: <reason>"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    written: tuple[WriteSummary, ...]
    failures: tuple[FileFailure, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, note) for files of unsupported types
    warnings: tuple[tuple[str, str], ...] = ()  # (path, warning) from the parser: ingested, but look at it

    def count(self, status: str) -> int:
        return sum(1 for w in self.written if w.status == status)

    @property
    def nodes(self) -> int:
        return sum(w.nodes for w in self.written)

    @property
    def edges(self) -> int:
        return sum(w.edges for w in self.written)


OcrProgress = Callable[[Path, int, int], None]  # (file, pages done, pages to OCR)


def load_document(path: Path, on_ocr_page: OcrProgress | None = None) -> ReportDocument:
    """Read and parse one file; raises `InputError` when it holds no usable report."""
    from ikg.ingest.parse import parse_source

    pages = (lambda done, total: on_ocr_page(path, done, total)) if on_ocr_page else None
    doc = parse_source(read_source(path, on_ocr_page=pages))
    if not doc.issues:
        raise InputError(path, "no numbered problems found: is this a rectification report (整改情况通报)?")
    return doc


def parse_paths(paths: Sequence[Path]) -> Iterator[ParseOutcome]:
    """Read and parse every report under `paths`, one outcome per file; nothing is written."""
    from ikg.ingest.parse import parse_source

    scan = collect_paths(paths)
    for path, why in scan.failed:
        yield ParseOutcome(str(path), error=f"{path}: {why}")
    for path, why in scan.skipped:
        yield ParseOutcome(str(path), note=f"{path}: skipped: {why}")
    for path in scan.files:
        try:
            yield ParseOutcome(str(path), document=parse_source(read_source(path)))
        except InputError as exc:
            yield ParseOutcome(str(path), error=str(exc))


DEFAULT_BATCH = 64  # reports per transaction: LadybugDB's cost is per statement, not per row
PARALLEL_MIN = 32  # below this many files, starting worker processes costs more than it saves


# A report's graph as the rows the store writes, and the parser's warnings about it. Rows, not the
# ReportGraph: they are what the writer needs, built here in the parse worker, and they unpickle in the
# writing process ~4x faster than the graph's records.
Loaded = tuple[ReportRows, tuple[str, ...]]


def _load_report(path: Path, on_ocr_page: OcrProgress | None = None) -> Loaded | FileFailure:
    from ikg.ingest.build import build_graph

    try:
        doc = load_document(path, on_ocr_page)
        graph = build_graph(doc)
    except InputError as exc:
        return FileFailure(exc.path, exc.reason)
    try:
        return report_rows(graph), doc.warnings
    except StoreError as exc:  # a graph the schema cannot hold: this file fails, the others go on
        return FileFailure(graph.report.file, str(exc))


@contextmanager
def _load_all(
    files: Sequence[Path], workers: int | None, on_ocr_page: OcrProgress | None = None
) -> Iterator[Iterator[Loaded | FileFailure]]:
    """Graphs (or failures) in file order; parsed in worker processes for large inputs (OCR page progress
    is reported only when parsing in this process)."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_MIN else 1
    if workers <= 1:
        yield (_load_report(path, on_ocr_page) for path in files)
        return
    # spawn, not fork: the parent holds an open database whose threads and locks a fork would copy.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        # Ctrl-C goes to the whole process group; only this process may handle it. A worker that took it
        # would send its KeyboardInterrupt back as a result and block on a result pipe nobody reads any
        # more. The workers are started in map(); started with SIGINT ignored, Python keeps ignoring it.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            results = pool.map(_load_report, files, chunksize=8)
        finally:
            signal.signal(signal.SIGINT, previous)
        yield results
    finally:
        # On Ctrl-C or a store failure the queued chunks are cancelled and each worker finishes the one it
        # has (a fraction of a second). Killing them instead could cut a result in half on its pipe, and
        # the executor's reader thread would wait for the rest of it forever.
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_files(
    paths: Sequence[Path],
    store: GraphStore,
    *,
    batch: int = DEFAULT_BATCH,
    workers: int | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_ocr_page: OcrProgress | None = None,
) -> IngestResult:
    """Parse and write every report under `paths`; a bad file is recorded with its reason, the rest go on.

    Reports are written `batch` at a time, each batch in one transaction, so an interruption leaves only
    whole reports. If a batch fails in the store, its reports are retried one by one so that only the
    report at fault is recorded as failed. Files are parsed in `workers` processes (default: one per core
    when there are at least PARALLEL_MIN files) while this process writes. `on_start(total)` is called
    once the files are known, `on_file(path)` after each file is parsed (progress bars).
    """
    scan = collect_paths(paths)
    if on_start:
        on_start(len(scan.files))
    written: list[WriteSummary] = []
    failures: list[FileFailure] = [FileFailure(str(p), why) for p, why in scan.failed]
    pending: list[ReportRows] = []
    warnings: list[tuple[str, str]] = []

    def flush() -> None:
        try:
            written.extend(store.write_report_rows(pending))
        except StoreError:
            for rows in pending:
                try:
                    written.extend(store.write_report_rows([rows]))
                except StoreError as exc:
                    failures.append(FileFailure(rows.file, str(exc)))
        pending.clear()

    with _load_all(scan.files, workers, on_ocr_page) as loads:
        for path, loaded in zip(scan.files, loads, strict=True):
            if isinstance(loaded, FileFailure):
                failures.append(loaded)
            else:
                pending.append(loaded[0])
                warnings.extend((str(path), w) for w in loaded[1])
            if on_file:
                on_file(path)
            if len(pending) >= batch:
                flush()
    if pending:
        flush()
    skipped = tuple((str(p), note) for p, note in scan.skipped)
    return IngestResult(tuple(written), tuple(failures), skipped, tuple(warnings))
