#!/usr/bin/env bash
# Create .venv and install ikg with its dev tools and the ocr and ray extras (their tests run in CI).
# torch comes first, pinned to the CPU build that this machine serves locally; an unpinned torch would pull
# several GB of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e '.[dev,ocr,ray]'
