"""Look-ups by the names analysts type: a regulation by title or alias, an issue by id or unit + number."""

from __future__ import annotations

from collections.abc import Callable

from ikg.graph.errors import NotFoundError
from ikg.graph.store import GraphStore
from ikg.graph.views import IssueDetail, RegulationLinks

_QUOTES = "《》〈〉“”‘’\"' "


def regulation_links(store: GraphStore, name: str, canonical: Callable[[str], str]) -> RegulationLinks:
    """The regulation meant by `name` (《会计法》, 党章, 三重一大), with its linked issues and measures.

    `canonical` maps an alias to the canonical title (the ingest alias table). Raises `NotFoundError` when
    nothing matches or the name is ambiguous, listing the candidates.
    """
    bare = name.strip(_QUOTES)
    found = store.find_regulations(canonical(bare)) or store.find_regulations(bare)
    if not found:
        raise NotFoundError(f"no regulation matches {name!r}; 'ikg regs' lists them")
    exact = [r for r in found if r.title in (canonical(bare), bare)]
    if len(exact) == 1 or len(found) == 1:
        return store.regulation_links((exact or found)[0].id)
    titles = "、".join(f"《{r.title}》" for r in found[:8])
    raise NotFoundError(f"{name!r} matches {len(found)} regulations: {titles}; give a longer name")


def issue_details(
    store: GraphStore, issue_id: str | None, unit: str | None, number: str | None
) -> list[IssueDetail]:
    """One issue by id, or every issue of units matching `unit` with that printed number."""
    if issue_id:
        return [store.issue_detail(issue_id)]
    if not (unit and number):
        raise NotFoundError("give an issue id, or a unit and an issue number")
    refs = store.find_issues(unit, number)
    if not refs:
        raise NotFoundError(f"no issue number {number} in a unit matching {unit!r}; 'ikg units' lists units")
    return [store.issue_detail(r.id) for r in refs]


def report_id(store: GraphStore, ref: str) -> str:
    """The id of the one report that `ref` (id, file path or file name) names."""
    found = store.find_reports(ref)
    if not found:
        raise NotFoundError(f"no report {ref!r}; 'ikg units' and 'ikg stats' show what is in the graph")
    if len(found) > 1:
        files = ", ".join(r.file for r in found[:5])
        raise NotFoundError(f"{ref!r} names {len(found)} reports ({files}); give the full path or the id")
    return found[0].id
