"""`CypherStore`: every `GraphStore` method, written once over two narrow hooks a backend provides.

A backend implements `_run(query, params)` (one auto-committed read) and `_transaction()` (a context manager
yielding a `Tx` that commits on a clean exit and rolls back on an exception), and translates its driver's
errors into `StoreError`. Everything else, including which queries run in which order, lives here (the
write and delete statements of a batch of reports in subgraph.py).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import ClassVar

from ikg.graph import cypher
from ikg.graph.errors import NotFoundError, StoreError
from ikg.graph.export_rows import GraphDump, dump_batch, read_graph
from ikg.graph.ids import normalize_key
from ikg.graph.model import Label, Rel, ReportGraph
from ikg.graph.regulation_counts import LinkRow, count_links
from ikg.graph.rows import Columns, ReportRows, Row, report_rows, write_batch
from ikg.graph.schema import SCHEMA_VERSION
from ikg.graph.subgraph import Params as Params
from ikg.graph.subgraph import Tx as Tx
from ikg.graph.subgraph import delete_subgraphs, write_rows
from ikg.graph.views import (
    DeleteSummary,
    GraphStats,
    IssueDetail,
    IssueFacts,
    IssueRef,
    IssueText,
    MeasureFact,
    MeasureRef,
    MeasureText,
    RegulationLinks,
    RegulationRef,
    RegulationSummary,
    ReportContext,
    ReportRef,
    UnitSummary,
    WriteSummary,
)
from ikg.graph.write_plan import StoredReport, plan_writes


class CypherStore(ABC):
    """Shared implementation of `GraphStore`; subclasses only run queries and open transactions."""

    _list_base: ClassVar[int]  # where the backend's `list[k]` starts counting (schema.py)

    # --- hooks -----------------------------------------------------------------------------------------

    @abstractmethod
    def _run(self, query: str, params: Params | None = None) -> list[Row]:
        """Run one read query in its own transaction; rows as {column: value}."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Tx]:
        """Commit on a clean exit, roll back and re-raise on an exception."""

    @abstractmethod
    def close(self) -> None: ...

    # --- schema ----------------------------------------------------------------------------------------

    def _check_schema_version(self, where: str) -> None:
        """Record the schema version in a new database; refuse a database written by another version."""
        with self._transaction() as tx:
            rows = tx.run(cypher.READ_SCHEMA_VERSION)
            if not rows:
                tx.run(cypher.WRITE_SCHEMA_VERSION, {"version": SCHEMA_VERSION})
                return
        found = rows[0]["version"]
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{where}: graph schema version {found}, this ikg writes version {SCHEMA_VERSION}; "
                "re-ingest the reports into a new graph (or use the ikg version that wrote it)"
            )

    # --- writes ----------------------------------------------------------------------------------------

    def write_report(self, graph: ReportGraph) -> WriteSummary:
        return self.write_reports([graph])[0]

    def write_reports(self, graphs: Sequence[ReportGraph]) -> list[WriteSummary]:
        """Write a batch in one transaction, all or nothing, with one statement per table for the batch.

        Statuses are those one-by-one writes in this order would report (write_plan.py); the same report id
        twice is allowed and its last version wins. StoreError names the files when anything fails.
        One difference from one-by-one writes: replaced subgraphs are all deleted before anything is
        written, so a shared node only a replaced version referenced is deleted and then re-created by the
        batch's reports naming it, without the properties only that old version gave it."""
        # validate all before touching the database
        return self.write_report_rows([report_rows(g) for g in graphs])

    def write_report_rows(self, reports: Sequence[ReportRows]) -> list[WriteSummary]:
        if not reports:
            return []
        try:
            with self._transaction() as tx:
                stored, owners = _stored_reports(tx, reports)
                plan = plan_writes([(r.report_id, r.digest, r.file) for r in reports], stored, owners)
                if plan.delete:
                    delete_subgraphs(tx, plan.delete)
                if plan.write:
                    write_rows(tx, write_batch([reports[p] for p in plan.write]), self._list_base)
                if plan.files:
                    rows = [{"id": r, "files": list(f)} for r, f in plan.files]
                    tx.run(cypher.SET_REPORT_FILES, {"rows": rows})
        except Exception as exc:  # whatever the cause, the transaction was rolled back
            raise StoreError(f"{_what(reports)} failed, nothing written: {exc}") from exc
        return [
            WriteSummary(r.report_id, r.file, status, 0, 0)
            if status in ("unchanged", "merged")
            else WriteSummary(r.report_id, r.file, status, r.node_count, r.edge_count)
            for r, status in zip(reports, plan.statuses, strict=True)
        ]

    def delete_report(self, report_id: str) -> DeleteSummary:
        with self._transaction() as tx:
            (summary,), orphans = delete_subgraphs(tx, [report_id])
        return replace(summary, nodes=summary.nodes + orphans)

    def write_similar(self, pairs: list[tuple[str, str, float]]) -> int:
        """Replace all SIMILAR_TO edges; a pair naming an issue not in the graph is skipped (not counted)."""
        rows = Columns(
            {"src": [a for a, _, _ in pairs], "dst": [b for _, b, _ in pairs]},
            {"score": [float(score) for _, _, score in pairs]},
        )
        with self._transaction() as tx:
            tx.run(cypher.DELETE_SIMILAR)
            if not pairs:
                return 0
            query = cypher.create_edges(Rel.SIMILAR_TO, Label.ISSUE, Label.ISSUE, ("score",))
            return int(tx.run(query, cypher.column_params(rows, self._list_base))[0]["n"])

    # --- reports ---------------------------------------------------------------------------------------

    def reports(self) -> list[ReportRef]:
        return [_report_ref(r) for r in self._run(cypher.REPORTS)]

    def find_reports(self, ref: str) -> list[ReportRef]:
        name = ref.replace("\\", "/").rsplit("/", 1)[-1]
        rows = self._run(cypher.FIND_REPORTS, {"ref": ref, "suffix": "/" + name})
        return [_report_ref(r) for r in rows]

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for row in self._run(cypher.FINGERPRINT):
            digest.update(f"{row['id']}\t{row['digest']}\n".encode())
        return digest.hexdigest()

    def stats(self) -> GraphStats:
        def count(query: str) -> int:
            return int(self._run(query)[0]["n"])

        nodes = {label: count(cypher.count_nodes(label)) for label in Label}
        edges = {rel.value: count(cypher.count_edges(rel)) for rel in Rel}
        return GraphStats(
            reports=nodes[Label.REPORT],
            organizations=nodes[Label.ORGANIZATION],
            inspections=nodes[Label.INSPECTION],
            categories=nodes[Label.CATEGORY],
            issues=nodes[Label.ISSUE],
            measures=nodes[Label.MEASURE] - edges[Rel.TOOK],  # the issues' measures, as the index holds
            regulations=nodes[Label.REGULATION],
            people=nodes[Label.PERSON],
            edges=edges,
            report_measures=edges[Rel.TOOK],
        )

    def units(self) -> list[UnitSummary]:
        return [
            UnitSummary(
                r["id"],
                r["name"],
                int(r["reports"]),
                int(r["issues"]),
                int(r["open_issues"]),
                int(r["unknown_issues"]),
            )
            for r in self._run(cypher.UNITS)
        ]

    # --- regulations -----------------------------------------------------------------------------------

    def _links(self) -> list[LinkRow]:
        links = [
            LinkRow(r["regulation"], r["issue"], None, r["unit"])
            for r in self._run(cypher.REGULATION_ISSUE_LINKS)
        ]
        for rel in (Rel.CITES, Rel.ESTABLISHES):
            for r in self._run(cypher.regulation_measure_links(rel)):
                links.append(LinkRow(r["regulation"], r["issue"], r["measure"], r["unit"]))
        links.extend(
            LinkRow(r["regulation"], None, None, r["unit"]) for r in self._run(cypher.REGULATION_REPORT_LINKS)
        )
        return links

    def regulations(self, unit: str | None = None) -> list[RegulationSummary]:
        regs = [(r["id"], r["title"], r["kind"]) for r in self._run(cypher.ALL_REGULATIONS)]
        return count_links(regs, self._links(), unit)

    def find_regulations(self, name: str) -> list[RegulationSummary]:
        key = normalize_key(name)
        regs = [(r["id"], r["title"], r["kind"]) for r in self._run(cypher.ALL_REGULATIONS)]
        hits = [g for g in regs if normalize_key(g[1]) == key] or [
            g for g in regs if key in normalize_key(g[1])
        ]
        return count_links(hits, self._links(), None) if hits else []

    def regulation_links(self, regulation_id: str) -> RegulationLinks:
        found = self._run(cypher.REGULATION, {"id": regulation_id})
        if not found:
            raise NotFoundError(f"no regulation with id {regulation_id}; 'ikg regs' lists them")
        measure_rows = [
            r
            for rel in (Rel.CITES, Rel.ESTABLISHES)
            for r in self._run(cypher.measures_linked_to(rel), {"id": regulation_id})
        ]
        measures = {m.id: m for m in self._measure_refs(measure_rows)}
        return RegulationLinks(
            regulation_id,
            found[0]["title"],
            found[0]["kind"],
            tuple(self.issues_citing(regulation_id)),
            tuple(measures.values()),
        )

    def regulations_for(self, node_id: str) -> list[RegulationRef]:
        queries: list[tuple[str, str, str]] = []  # (query, relation, via)
        if self._run(cypher.ISSUE_EXISTS, {"id": node_id}):
            queries.append((cypher.regulations_of_issue(Rel.CITES, False), "cites", "issue"))
            for rel in (Rel.CITES, Rel.ESTABLISHES):
                queries.append((cypher.regulations_of_issue(rel, True), rel.value.lower(), "measure"))
        elif self._run(cypher.MEASURE_EXISTS, {"id": node_id}):
            for rel in (Rel.CITES, Rel.ESTABLISHES):
                queries.append((cypher.regulations_of_measure(rel), rel.value.lower(), "measure"))
        else:
            raise NotFoundError(f"no issue or measure with id {node_id}")
        refs = {
            RegulationRef(r["id"], r["title"], r["kind"], relation, via, r["as_printed"])
            for query, relation, via in queries
            for r in self._run(query, {"id": node_id})
        }
        return sorted(refs, key=lambda g: (g.title, g.via, g.relation, g.as_printed or ""))

    def issues_citing(self, regulation_id: str) -> list[IssueRef]:
        rows = self._run(cypher.issues_linked_to(Rel.CITES, False), {"id": regulation_id})
        for rel in (Rel.CITES, Rel.ESTABLISHES):
            rows += self._run(cypher.issues_linked_to(rel, True), {"id": regulation_id})
        unique = {r["id"]: r for r in rows}
        return [_issue_ref(r) for r in sorted(unique.values(), key=_issue_order)]

    # --- issues and measures ---------------------------------------------------------------------------

    def issue_detail(self, issue_id: str) -> IssueDetail:
        found = self._run(cypher.ISSUE_DETAIL, {"id": issue_id})
        if not found:
            raise NotFoundError(
                f"no issue with id {issue_id}; 'ikg issue show --unit U --number N' finds one by number"
            )
        row = found[0]
        measures = self._measure_refs(self._run(cypher.ISSUE_MEASURES, {"id": issue_id}))
        similar = sorted(
            self._run(cypher.SIMILAR_OF_ISSUE, {"id": issue_id}), key=lambda r: (-r["score"], _issue_order(r))
        )
        return IssueDetail(
            issue=_issue_ref(row),
            short_title=row["short_title"],
            deadline=row["deadline"],
            text=row["text"],
            result=row["result"],
            span_start=int(row["span_start"]),
            span_end=int(row["span_end"]),
            measures=tuple(measures),
            regulations=tuple(self.regulations_for(issue_id)),
            similar=tuple((_issue_ref(r), float(r["score"])) for r in similar),
        )

    def find_issues(self, unit: str, number: str) -> list[IssueRef]:
        return [_issue_ref(r) for r in self._run(cypher.FIND_ISSUES, {"unit": unit, "number": number})]

    def issue_refs(self, ids: list[str]) -> dict[str, IssueRef]:
        if not ids:
            return {}
        return {r["id"]: _issue_ref(r) for r in self._run(cypher.ISSUE_REFS, {"ids": list(ids)})}

    def measure_refs(self, ids: list[str]) -> dict[str, MeasureRef]:
        if not ids:
            return {}
        return {m.id: m for m in self._measure_refs(self._run(cypher.MEASURE_REFS, {"ids": list(ids)}))}

    def _measure_refs(self, rows: Sequence[Row]) -> list[MeasureRef]:
        """MeasureRefs from measure+issue rows, each with the sorted titles it cites or establishes."""
        ordered = sorted(rows, key=lambda r: (*_issue_order(r), int(r["measure_ordinal"]), r["measure_id"]))
        unique = {r["measure_id"]: r for r in ordered}
        titles: dict[str, set[str]] = {m: set() for m in unique}
        if unique:
            for rel in (Rel.CITES, Rel.ESTABLISHES):
                for r in self._run(cypher.measure_regulation_titles(rel), {"ids": list(unique)}):
                    titles[r["measure"]].add(r["title"])
        return [
            MeasureRef(
                id=m,
                label=r["measure_label"],
                text=r["measure_text"],
                issue=_issue_ref(r),
                line=int(r["measure_line"]),
                regulations=tuple(sorted(titles[m])),
            )
            for m, r in unique.items()
        ]

    def issue_texts(self) -> list[IssueText]:
        measures: dict[str, list[str]] = {}
        for m in self.measure_texts():
            measures.setdefault(m.issue_id, []).append(m.text)
        return [
            IssueText(
                r["id"],
                r["report_id"],
                r["unit"],
                r["category"],
                r["title"],
                r["text"],
                tuple(measures.get(r["id"], ())),
            )
            for r in self._run(cypher.ISSUE_TEXTS)
        ]

    def measure_texts(self) -> list[MeasureText]:
        return [
            MeasureText(r["id"], r["issue_id"], r["report_id"], r["text"])
            for r in self._run(cypher.MEASURE_TEXTS)
        ]

    def issue_facts(self) -> list[IssueFacts]:
        contexts: dict[str, ReportContext] = {}
        for r in self._run(cypher.REPORT_CONTEXTS):
            contexts.setdefault(r["report_id"], _report_context(r))
        measures: dict[str, list[tuple[int, MeasureFact]]] = {}
        for r in self._run(cypher.ISSUE_FACT_MEASURES):
            fact = MeasureFact(r["id"], r["label"] or "", r["text"], int(r["line"]))
            measures.setdefault(r["issue"], []).append((int(r["ordinal"]), fact))
        facts = [
            IssueFacts(
                _issue_ref(r),
                int(r["ordinal"]),
                r["completed"],
                r["deadline"],
                r["text"] or "",
                r["result"],
                int(r["span_start"]),
                int(r["span_end"]),
                tuple(m for _, m in sorted(measures.get(r["id"], []), key=lambda x: x[0])),
                contexts[r["report_id"]],
            )
            for r in self._run(cypher.ISSUE_FACTS)
        ]
        return sorted(facts, key=lambda f: (f.issue.file, f.ordinal))

    # --- export ----------------------------------------------------------------------------------------

    def dump(self, unit: str | None = None) -> GraphDump:
        return read_graph(self._run, unit)

    def load_dump(self, dump: GraphDump) -> int:
        """Write an exported graph into this graph, which must be empty, in one transaction; returns the
        node count. StoreError (nothing written) when the graph is not empty or a write fails."""
        batch = dump_batch(dump)
        try:
            with self._transaction() as tx:
                if any(int(tx.run(cypher.count_nodes(label))[0]["n"]) for label in Label):
                    raise StoreError("the graph is not empty; load an export into a new graph")
                write_rows(tx, batch, self._list_base)
        except StoreError:
            raise
        except Exception as exc:  # whatever the cause, the transaction was rolled back
            raise StoreError(f"loading the export failed, nothing written: {exc}") from exc
        return len(dump.nodes)

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored_reports(tx: Tx, reports: Sequence[ReportRows]) -> tuple[dict[str, StoredReport], dict[str, str]]:
    """The stored reports a batch may meet, and file -> id of the stored report listing it: those with the
    batch's ids and those holding its files (report ids follow the text, so a file may belong to another
    stored report than the id names)."""
    ids = list(dict.fromkeys(r.report_id for r in reports))
    files = list(dict.fromkeys(r.file for r in reports))
    rows = tx.run(cypher.STORED_REPORTS_BY_ID, {"ids": ids})
    rows += tx.run(cypher.STORED_REPORTS_BY_FILE, {"files": files})
    stored: dict[str, StoredReport] = {}
    owners: dict[str, str] = {}
    for row in rows:
        listed = tuple(row["files"] or (row["file"],))
        stored[row["id"]] = StoredReport(row["digest"], row["file"], listed)
        owners.update((f, row["id"]) for f in listed)
    return stored, owners


def _what(reports: Sequence[ReportRows]) -> str:
    """The write named for an error message: the file (one report) or the first few files (a batch)."""
    if len(reports) == 1:
        return f"{reports[0].file}: writing report {reports[0].report_id}"
    files = ", ".join(r.file for r in reports[:3]) + (", …" if len(reports) > 3 else "")
    return f"writing a batch of {len(reports)} reports ({files})"


def _report_ref(r: Row) -> ReportRef:
    return ReportRef(r["id"], r["file"], r["title"], r["unit"], r["digest"])


def _report_context(r: Row) -> ReportContext:
    # several rows per report only when it names more than one inspected unit; the first one wins
    return ReportContext(
        r["report_id"],
        r["file"],
        r["unit"],
        r["publish_date"],
        r["organization_id"],
        r["organization"],
        r["province"],
        r["city"],
        r["county"],
        r["inspection_id"],
        r["kind"],
        r["round"],
        r["start"],
        r["finish"],
        r["feedback_date"],
    )


def _issue_ref(r: Row) -> IssueRef:
    return IssueRef(
        r["id"],
        r["number"],
        r["title"],
        r["status"],
        r["category"],
        r["unit"],
        r["report_id"],
        r["file"],
        int(r["line"]),
    )


def _issue_order(r: Row) -> tuple[str, int]:
    return (r["file"], int(r["ordinal"]))
