"""The web app over HTTP: /api equals the CLI's --format json, hostile report text is inert, bounds hold."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ikg.cli.app import build_app


def cli_json(home: Path, *args: str) -> object:
    result = CliRunner().invoke(build_app(), [*args, "--format", "json"], env={"IKG_HOME": str(home)})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def get(server: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(server + path, params=params, timeout=120)


def test_api_returns_what_the_cli_prints(server: str, web_home: Path) -> None:
    units = cli_json(web_home, "units")
    assert get(server, "/api/units").json() == units
    assert get(server, "/api/regs").json() == cli_json(web_home, "regs")
    assert get(server, "/api/regs", unit="惠东").json() == cli_json(web_home, "regs", "--unit", "惠东")
    issue = get(server, f"/api/unit/{units[0]['id']}").json()["categories"][0]["issues"][0]["issue"]  # type: ignore[index]
    assert get(server, f"/api/issue/{issue['id']}").json() == cli_json(web_home, "issue", "show", issue["id"])
    similar = cli_json(web_home, "similar", "财务报销手续不全", "--top", "5", "--mode", "lexical")
    assert get(server, "/api/similar", text="财务报销手续不全", top=5, mode="lexical").json() == similar
    dense = cli_json(web_home, "similar", "--issue", issue["id"], "--top", "3")
    assert get(server, "/api/similar", issue=issue["id"], top=3).json() == dense
    measures = cli_json(web_home, "measures", "search", "建立经费催缴台账", "--top", "4")
    assert get(server, "/api/measures", text="建立经费催缴台账", top=4).json() == measures


def test_analysis_api_returns_what_the_cli_prints(server: str, web_home: Path) -> None:
    assert get(server, "/api/types").json() == cli_json(web_home, "types")
    by_unit = cli_json(web_home, "types", "--framework", "六项纪律", "--by", "unit", "--unit", "总工会")
    assert get(server, "/api/types", framework="六项纪律", by="unit", unit="总工会").json() == by_unit
    assert get(server, "/api/measures/check").json() == cli_json(web_home, "measures", "check")
    every = cli_json(web_home, "measures", "check", "--all", "--unit", "惠东")
    assert get(server, "/api/measures/check", all="true", unit="惠东").json() == every


def test_overview_and_unit_pages_show_types_and_weak_measures(server: str) -> None:
    types = get(server, "/api/types").json()
    counted = [r for r in types["rows"] if r["total"]]
    assert counted, "no issue of the examples got a problem type"
    overview = get(server, "/").text
    assert "问题类型分布" in overview
    for row in counted:  # every type with issues links to its page with its count beside it
        link = f'<a href="/types/{row["type_id"]}">{row["type"]}</a></td>\n<td class="n">{row["total"]}</td>'
        assert link in overview, row["type"]
    top = max(counted, key=lambda r: r["total"])
    page = get(server, f"/types/{top['type_id']}").text
    assert page.count('href="/issue/') == top["total"]
    assert 'class="evidence"' in page and f"{Path(top['issues'][0]['file']).name}:" in page

    units = get(server, "/api/units").json()
    checks = get(server, "/api/measures/check").json()
    weak_unit = next(u for u in units if any(c["unit"] == u["name"] for c in checks))
    unit_page = get(server, f"/unit/{weak_unit['id']}").text
    mine = [c for c in checks if c["unit"] == weak_unit["name"]]
    assert f"{len(mine)} 个问题的整改偏弱" in unit_page
    for c in mine:
        assert f'<a href="/issue/{c["issue"]["id"]}">' in unit_page.split("整改措施核查")[1]
    assert "问题类型分布" in unit_page and f"?unit={weak_unit['id']}" in unit_page
    narrowed = get(server, f"/types/{top['type_id']}", unit=weak_unit["id"]).text
    assert narrowed.count('href="/issue/') <= top["total"] and weak_unit["name"] in narrowed


def test_hostile_report_text_renders_inert(server: str) -> None:
    units = get(server, "/api/units").json()
    unit = next(u for u in units if "测试县" in u["name"] or "某某局" in u["name"])
    page = get(server, f"/unit/{unit['id']}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    issue_id = get(server, f"/api/unit/{unit['id']}").json()["categories"][0]["issues"][0]["issue"]["id"]
    page = get(server, f"/issue/{issue_id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert '"><img src=x onerror=alert(1)>' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page
    assert "<mark>" in page  # the span is highlighted in the source lines


@pytest.mark.parametrize(
    "path, params, status, words",
    [
        ("/api/similar", {"text": "经费", "top": 101}, 400, "top"),
        ("/api/similar", {"text": "经" * 501}, 400, "500"),
        ("/search", {"q": "经" * 501}, 400, "不能超过 500 个字"),
        ("/api/graph/neighbours", {"id": "MATCH (n) DETACH DELETE n"}, 400, "编号格式不对"),
        ("/issue/..%2F..%2Fetc%2Fpasswd", {}, 400, "编号格式不对"),
        ("/issue/iss_0000000000000000", {}, 404, "未找到"),
        ("/api/similar", {"text": "经费", "mode": "cypher"}, 400, "检索方式"),
        ("/types/DROP TABLE", {}, 400, "问题类型编号格式不对"),
        ("/types/no_such_type", {}, 404, "未找到"),
        ("/api/types", {"by": "street"}, 400, "分组方式"),
        ("/api/types", {"framework": "八项规定"}, 400, "unknown framework"),
    ],
)
def test_bad_requests_get_a_chinese_message(
    server: str, path: str, params: dict[str, object], status: int, words: str
) -> None:
    response = get(server, path, **params)
    assert response.status_code in (status, 404) if "%2F" in path else response.status_code == status
    if response.status_code == status:
        assert words in response.text


def test_every_page_sends_the_csp_and_no_inline_script(server: str) -> None:
    units = get(server, "/api/units").json()
    regs = get(server, "/api/regs").json()
    for path in (
        "/",
        "/units",
        "/regs",
        "/search?q=经费报销",
        f"/unit/{units[0]['id']}",
        f"/regulation/{regs[0]['id']}",
        "/explore",
        "/types/political_discipline",
    ):
        response = get(server, path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert "<script>" not in response.text and "style=" not in response.text, path
