"""JSON Lines from the graph in the shape of `ikg parse --format json`: same keys, same nesting, and the
same values for everything the graph holds, compared with a fresh parse of each file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ikg.app.export.job import export_graph
from ikg.app.export.jsonl import NOT_IN_GRAPH
from ikg.ingest.job import parse_paths
from ikg.ingest.serialize import document_to_json


def _parsed(files: tuple[Path, ...]) -> dict[str, dict[str, Any]]:
    out = {}
    for outcome in parse_paths(list(files)):
        assert outcome.document is not None, outcome.error
        out[str(Path(outcome.document.file).resolve())] = document_to_json(outcome.document)
    return out


def _keys(value: Any, path: str = "") -> set[str]:
    """Every key path in a JSON value (list items merged under [])."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(f"{path}.{k}")
            found |= _keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item, f"{path}[]")
    return found


def test_one_parse_shaped_document_per_report(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    out = tmp_path / "reports.jsonl"
    summary = export_graph(store, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert summary.rows == len(lines) == store.stats().reports
    docs = [json.loads(line) for line in lines]
    parsed = _parsed(loaded.reports)
    assert {d["file"] for d in docs} == set(parsed)
    unheld = tuple(f".{n}" for n in NOT_IN_GRAPH)
    for doc in docs:
        want = parsed[doc["file"]]
        # the same key paths, but below what the graph does not keep (an empty list, or null)
        assert {k for k in _keys(want) if not k.startswith(unheld)} == {
            k for k in _keys(doc) if not k.startswith(unheld)
        } - {".report_id", ".not_in_graph"}
        assert doc["not_in_graph"] == list(NOT_IN_GRAPH)
        for key in (
            "encoding", "format", "content_hash", "title", "publisher", "inspected_unit", "region",
            "inspection", "publish_date", "claimed", "contact", "approach_measures", "named_rules",
        ):  # fmt: skip
            assert doc[key] == want[key], (doc["file"], key)
        assert len(doc["categories"]) == len(want["categories"])
        for got_c, want_c in zip(doc["categories"], want["categories"], strict=True):
            assert {k: got_c[k] for k in ("title", "is_section", "span", "line")} == {
                k: want_c[k] for k in ("title", "is_section", "span", "line")
            }
            assert len(got_c["issues"]) == len(want_c["issues"])
            for got, exp in zip(got_c["issues"], want_c["issues"], strict=True):
                held = ("number", "title", "short_title", "status", "deadline", "span", "line", "result")
                assert {k: got[k] for k in held} == {k: exp[k] for k in held}
                assert got["measures"] == exp["measures"]
                # one edge per (node, regulation): the titles are the parse's, each once
                assert set(got["regulations"]) <= set(exp["regulations"])
        # every mention the graph keeps is one the parser found, with its span
        mentions = {(m["canonical"], tuple(m["span"]), m["line"]) for m in want["regulations"]}
        assert {(m["canonical"], tuple(m["span"]), m["line"]) for m in doc["regulations"]} <= mentions
        assert {m["canonical"] for m in doc["regulations"]} == {m["canonical"] for m in want["regulations"]}
        # people in the order the report names them (one entry per person and organization)
        first_seen = {}
        for n, p in enumerate(want["people"]):
            first_seen.setdefault((p["name"], p["role"]), n)
        order = [first_seen[(p["name"], p["role"])] for p in doc["people"]]
        assert order == sorted(order)
        assert {p["name"] for p in doc["people"]} <= {p["name"] for p in want["people"]}


def test_one_unit_exports_its_reports_only(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "u.jsonl"
    export_graph(loaded.store, "jsonl", out, unit="示例县农业农村局")
    (doc,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert doc["inspected_unit"] == "示例县农业农村局"
    first = doc["categories"][0]["issues"][0]
    assert first["title"] == '项目资金拨付不及时, 台账记录含"引号"'
    assert [m["label"] for m in first["measures"]] == ["一是", "二是"]
    assert first["regulations"] == ["示例县农业项目资金管理办法"]
    second = doc["categories"][0]["issues"][1]
    law = next(m for m in doc["regulations"] if m["canonical"] == "中华人民共和国政府采购法")
    assert law["article"] == "第二十条" and law["title"] == "中华人民共和国政府采购法"
    assert second["status"] == "阶段性完成，长期坚持"
