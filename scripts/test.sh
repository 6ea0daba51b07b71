#!/usr/bin/env bash
# All checks: lint, format, types, then the whole test suite (Bolt tests start their own ArcadeDB server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
bash scripts/typecheck.sh
.venv/bin/pytest "$@"
