"""Web fixtures: a home with the example reports and a hostile synthetic report ingested and indexed
(real e5 model from the test cache), the real app served by uvicorn on a free loopback port, and a
real headless Debian Chromium driven by selenium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ikg.app.settings import resolve_settings

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

# Report text is untrusted: a tag, an attribute break-out and a javascript: link, in a problem title,
# its measure and the unit's name, in the shape of a 整改情况通报.
HOSTILE = """中共测试县某某局党组关于县委巡察整改进展情况的通报

根据县委统一部署，2023年3月1日至5月30日，县委第二巡察组对县某某局党组开展了巡察。2023年6月20日县委第二巡察组向县某某局党组反馈了巡察意见。现将整改进展情况予以公布。

一、总体情况

县某某局党组高度重视巡察整改工作。截至8月1日，已完成巡察反馈的2个具体问题整改，整改率达到100%。

二、整改落实情况

（一）关于落实主体责任不到位方面

1. 针对“经费报销审核<script>alert(1)</script>不严”问题。

整改情况：一是修订《财务报销"><img src=x onerror=alert(1)>管理办法》，逐笔复核。
二是建立台账，详见<a href="javascript:alert(1)">附件</a>。

2. 针对“会议记录不规范”问题。

整改情况：一是制定会议记录模板。二是每季度检查一次。

中共测试县某某局党组
2023年8月10日
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def web_home(home_beside_reports: Callable[[Path, str], tuple[Path, Path]], corpus_dir: Path) -> Path:
    from ikg.cli.app import build_app

    app: typer.Typer = build_app()
    home, reports = home_beside_reports(corpus_dir, "webhome")
    (reports / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", str(reports), "--format", "json"], env={"IKG_HOME": str(home)}
    )
    assert result.exit_code == 0, result.stderr
    return home


@pytest.fixture(scope="session")
def server(web_home: Path) -> Iterator[str]:
    """The real app under uvicorn in a thread; yields its base URL."""
    import uvicorn

    from ikg.web.app import create_app

    settings = resolve_settings(home=web_home, env={})
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1366,900",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
