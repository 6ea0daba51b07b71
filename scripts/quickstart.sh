#!/usr/bin/env bash
# One command from a fresh clone: install, ingest the example reports into the embedded graph, ask questions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ikg=.venv/bin/ikg
$ikg ingest examples/reports
$ikg units
$ikg similar "财务报销手续不全，票据审核不严" --top 5
$ikg regs show 会计法
$ikg measures search "建立工会经费催缴台账" --top 5
