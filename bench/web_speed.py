"""p50/p95 time of the overview, unit, issue, regulation and problem-type pages (in-process TestClient).

Usage: .venv/bin/python bench/web_speed.py [--rounds 20]
Ingests examples/reports into a temporary IKG_HOME without an index (the issue page then shows stored
SIMILAR_TO edges only, so the figure is the graph side of the page), then times every page of each kind.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ikg.app.settings import resolve_settings
from ikg.cli.app import build_app
from ikg.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        result = CliRunner().invoke(
            build_app(), ["ingest", str(EXAMPLES), "--no-index"], env={"IKG_HOME": str(home)}
        )
        assert result.exit_code == 0, result.stderr
        with TestClient(create_app(resolve_settings(home=home, env={}))) as client:
            units = client.get("/api/units").json()
            issues = [
                u["issue"]["id"]
                for unit in units
                for c in client.get(f"/api/unit/{unit['id']}").json()["categories"]
                for u in c["issues"]
            ]
            regs = [r["id"] for r in client.get("/api/regs").json()]
            types = [r["type_id"] for r in client.get("/api/types").json()["rows"] if r["total"]]
            pages = {
                "概览 /": ["/"],
                "单位 /unit": [f"/unit/{u['id']}" for u in units],
                "问题 /issue": [f"/issue/{i}" for i in issues[:30]],
                "制度 /regulation": [f"/regulation/{r}" for r in regs[:30]],
                "类型 /types": [f"/types/{t}" for t in types[:10]],
            }
            print(f"{'页面':<18}{'请求':>6}{'p50 ms':>10}{'p95 ms':>10}")
            for name, paths in pages.items():
                times = []
                for _ in range(args.rounds):
                    for path in paths:
                        t0 = time.perf_counter()
                        response = client.get(path)
                        times.append((time.perf_counter() - t0) * 1000)
                        assert response.status_code == 200, path
                times.sort()
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                print(f"{name:<18}{len(times):>6}{statistics.median(times):>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
