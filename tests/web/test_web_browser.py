"""Real headless Chromium: click through the pages, search, explore; no request leaves 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def requested_urls(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def assert_local(urls: list[str]) -> None:
    outside = [
        u for u in urls if urlparse(u).scheme not in ("data", "about") and urlparse(u).hostname != "127.0.0.1"
    ]
    assert not outside, outside


def no_alert(driver: Any) -> None:
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    raise AssertionError(f"an alert opened: {text}")


def wait(driver: Any, seconds: float = 30) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(driver, seconds)


def test_click_through_overview_unit_issue_regulation_and_back(browser: Any, server: str) -> None:
    d = browser
    d.get(server + "/")
    assert "概览" in d.title
    assert d.find_elements(By.CSS_SELECTOR, "svg.bars rect")
    shot(d, "01-overview")
    d.find_element(By.PARTIAL_LINK_TEXT, "惠东县总工会").click()
    wait(d).until(lambda x: "惠东县总工会" in x.find_element(By.TAG_NAME, "h1").text)
    shot(d, "02-unit")
    d.find_element(By.CSS_SELECTOR, "table.issues td a[href^='/issue/']").click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text.startswith("问题"))
    assert d.find_element(By.CSS_SELECTOR, "#source mark").text
    shot(d, "03-issue")
    issue_url = d.current_url
    links = d.find_elements(By.CSS_SELECTOR, "a[href^='/regulation/']")
    assert links, "the first issue cites no regulation"
    links[0].click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text.startswith("《"))
    assert d.find_elements(By.CSS_SELECTOR, "a[href^='/issue/']")
    shot(d, "04-regulation")
    d.back()
    wait(d).until(lambda x: x.current_url == issue_url)
    assert_local(requested_urls(d))


def test_overview_types_lead_to_a_type_page_and_its_issues(browser: Any, server: str) -> None:
    d = browser
    d.get(server + "/")
    rows = d.find_elements(By.CSS_SELECTOR, "table.types a[href^='/types/']")
    assert rows, "the overview shows no problem type with issues"
    name = rows[0].text
    d.execute_script("arguments[0].scrollIntoView()", rows[0])
    shot(d, "06-overview-types")
    rows[0].click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text == name)
    assert d.find_elements(By.CSS_SELECTOR, "table.issues .evidence")
    shot(d, "07-type")
    d.find_element(By.CSS_SELECTOR, "table.issues a[href^='/issue/']").click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text.startswith("问题"))
    d.back()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text == name)
    assert_local(requested_urls(d))


def test_unit_page_lists_weak_rectifications(browser: Any, server: str) -> None:
    d = browser
    weak = httpx.get(server + "/api/measures/check", timeout=60).json()
    units = {u["name"]: u["id"] for u in httpx.get(server + "/api/units", timeout=60).json()}
    d.get(server + f"/unit/{units[weak[0]['unit']]}")
    table = d.find_element(By.CSS_SELECTOR, "table.checks")
    d.execute_script("arguments[0].scrollIntoView()", table)
    shot(d, "08-unit-checks")
    assert weak[0]["issue"]["title"] in table.text


def test_search_by_text_links_to_issue_pages(browser: Any, server: str) -> None:
    d = browser
    d.get(server + "/search")
    d.find_element(By.ID, "q").send_keys("工会经费收缴不到位")
    d.find_element(By.ID, "go").click()
    wait(d, 120).until(lambda x: x.find_elements(By.CSS_SELECTOR, "table.results a[href^='/issue/']"))
    shot(d, "05-search")
    d.find_element(By.CSS_SELECTOR, "table.results a[href^='/issue/']").click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text.startswith("问题"))
    assert_local(requested_urls(d))


def test_explorer_expands_a_node_and_hides_a_label(browser: Any, server: str) -> None:
    d = browser
    d.get(server + "/explore")
    # `|| 0`: before the page's script has run there is no explorer yet, and None > 1 would raise
    count = "return (window.ikgExplorer && window.ikgExplorer.cy.nodes().length) || 0"
    wait(d).until(lambda x: x.execute_script(count) > 1)
    before = d.execute_script("return window.ikgExplorer.cy.nodes().length")
    # click (tap) an Inspection or Report neighbour: emit the tap cytoscape listens for
    d.execute_script(
        "const cy = window.ikgExplorer.cy; const n = cy.nodes('[label = \"Report\"]')[0] || cy.nodes()[1];"
        "n.emit('tap');"
    )
    wait(d).until(lambda x: x.execute_script("return window.ikgExplorer.cy.nodes().length") > before)
    wait(d).until(lambda x: x.find_elements(By.CSS_SELECTOR, "#props table"))
    legend = d.find_elements(By.CSS_SELECTOR, "#legend li")
    assert len(legend) >= 2
    label = legend[0].get_attribute("data-label")
    legend[0].click()
    hidden = d.execute_script(
        f"return window.ikgExplorer.cy.nodes('[label = \"{label}\"]')"
        ".filter(n => n.hasClass('hidden')).length"
    )
    assert hidden > 0
    shot(d, "06-explorer")
    assert_local(requested_urls(d))


def test_hostile_report_runs_no_script_in_the_browser(browser: Any, server: str) -> None:
    d = browser
    unit = next(u for u in httpx.get(server + "/api/units").json() if "某某局" in u["name"])
    d.get(f"{server}/unit/{unit['id']}")
    no_alert(d)
    assert not d.find_elements(By.CSS_SELECTOR, "main img, main script, a[href^='javascript:']")
    d.find_element(By.CSS_SELECTOR, "table.issues td a[href^='/issue/']").click()
    wait(d).until(lambda x: x.find_element(By.TAG_NAME, "h1").text.startswith("问题"))
    no_alert(d)
    assert not d.find_elements(By.CSS_SELECTOR, "main img, main script, a[href^='javascript:']")
    assert "<script>alert(1)</script>" in d.find_element(By.TAG_NAME, "h1").text
    shot(d, "07-hostile")


def test_explorer_lays_out_2000_nodes(browser: Any, server: str) -> None:
    d = browser
    d.get(server + "/explore")
    wait(d).until(lambda x: "已显示" in x.find_element(By.ID, "status").text)  # the start node's expansion
    ms = d.execute_script(
        """
        const nodes = [], edges = [];
        const labels = ['Issue', 'Measure', 'Regulation', 'Report'];
        for (let i = 0; i < 2000; i++) nodes.push({id: 'syn_' + i, label: labels[i % 4], name: '合成节点' + i,
            props: {}, degree: 1});
        for (let i = 1; i < 2000; i++)
            edges.push({source: 'syn_' + Math.floor(i / 4), target: 'syn_' + i, rel: 'X'});
        window.ikgExplorer.cy.elements().remove();
        return window.ikgExplorer.load(nodes, edges);
        """
    )
    assert d.execute_script("return window.ikgExplorer.cy.nodes().length") == 2000
    t0 = d.execute_script("return performance.now()")
    d.execute_script("window.ikgExplorer.cy.zoom(2); window.ikgExplorer.cy.fit();")
    responsive = d.execute_script("return performance.now()") - t0
    print(f"explorer: 2,000 nodes laid out in {ms:.0f} ms; zoom+fit {responsive:.0f} ms")
    shot(d, "08-explorer-2000")
