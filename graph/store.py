"""The `GraphStore` protocol every backend implements, and the settings that pick one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ikg.graph.export_rows import GraphDump
from ikg.graph.model import ReportGraph
from ikg.graph.rows import ReportRows
from ikg.graph.views import (
    DeleteSummary,
    GraphStats,
    IssueDetail,
    IssueFacts,
    IssueRef,
    IssueText,
    MeasureRef,
    MeasureText,
    RegulationLinks,
    RegulationRef,
    RegulationSummary,
    ReportRef,
    UnitSummary,
    WriteSummary,
)


@dataclass(frozen=True, slots=True)
class StoreConfig:
    kind: str  # embedded | neo4j
    path: Path | None = None  # embedded: the database directory
    uri: str | None = None  # neo4j: bolt://host:7687
    user: str | None = None
    password: str | None = None
    database: str | None = None


class GraphStore(Protocol):
    def write_report(self, graph: ReportGraph) -> WriteSummary:
        """Write one report all-or-nothing; same digest -> unchanged, other digest -> replaced atomically."""
        ...

    def write_reports(self, graphs: Sequence[ReportGraph]) -> list[WriteSummary]:
        """Write a batch all-or-nothing in one transaction; one summary per graph, in order.

        Leaves what `write_report` on each graph in turn would leave, and reports the statuses it would
        (a report id twice in a batch: the last version wins), at a fraction of the cost: the statements
        are batched across reports. Any failure (StoreError, naming the files) writes nothing; to find
        which report fails, write that batch's reports one by one."""
        ...

    def write_report_rows(self, reports: Sequence[ReportRows]) -> list[WriteSummary]:
        """`write_reports` on graphs already turned into rows (`rows.report_rows`, which validates them):
        lets a parse worker do that part and send rows, which unpickle ~4x faster than the records."""
        ...

    def delete_report(self, report_id: str) -> DeleteSummary:
        """Remove a report, its categories/issues/measures, and shared nodes nothing else references."""
        ...

    def find_reports(self, ref: str) -> list[ReportRef]:
        """Reports whose id, file path or file name equals `ref`."""
        ...

    def reports(self) -> list[ReportRef]: ...

    def stats(self) -> GraphStats: ...

    def units(self) -> list[UnitSummary]: ...

    def regulations(self, unit: str | None = None) -> list[RegulationSummary]:
        """Regulations with counts; `unit` filters to those cited in that unit's reports (substring match)."""
        ...

    def find_regulations(self, name: str) -> list[RegulationSummary]:
        """Regulations whose canonical title equals `name` after normalization, else contains it."""
        ...

    def regulation_links(self, regulation_id: str) -> RegulationLinks: ...

    def regulations_for(self, node_id: str) -> list[RegulationRef]:
        """Regulations an issue (directly or via its measures) or a measure is linked to."""
        ...

    def issues_citing(self, regulation_id: str) -> list[IssueRef]: ...

    def issue_detail(self, issue_id: str) -> IssueDetail: ...

    def find_issues(self, unit: str, number: str) -> list[IssueRef]:
        """Issues of units whose name contains `unit`, with that printed number."""
        ...

    def issue_refs(self, ids: list[str]) -> dict[str, IssueRef]: ...

    def measure_refs(self, ids: list[str]) -> dict[str, MeasureRef]: ...

    def issue_texts(self) -> list[IssueText]: ...

    def measure_texts(self) -> list[MeasureText]: ...

    def issue_facts(self) -> list[IssueFacts]:
        """Every issue with its text, status, deadline, measures and report context, in file order."""
        ...

    def write_similar(self, pairs: list[tuple[str, str, float]]) -> int:
        """Replace all SIMILAR_TO edges with these (src issue, dst issue, score); returns the count."""
        ...

    def fingerprint(self) -> str:
        """A hash of every report id and digest: equal fingerprints mean equal graphs."""
        ...

    def dump(self, unit: str | None = None) -> GraphDump:
        """Every node and edge with all properties, or one inspected unit's part (name or alias);
        NotFoundError when `unit` names no unit or several."""
        ...

    def load_dump(self, dump: GraphDump) -> int:
        """Write an exported graph into this empty graph, all or nothing; returns the node count."""
        ...

    def checkpoint(self) -> None:
        """Make what was written durable in the store's own files and let go of the memory the writes held,
        before a long step that writes nothing (the embedding of an ingest); a server store has nothing to
        do. Reads after it see the same graph."""
        ...

    def close(self) -> None: ...
