#!/usr/bin/env bash
# All checks: lint, format, types, then the whole test suite (Bolt tests start their own ArcadeDB server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests drive Debian's headless Chromium (tests/web); install it when missing.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
fi
# The scanned-PDF tests draw report pages with a CJK font (Debian's fonts-noto-cjk); root installs it once.
if [ ! -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
bash scripts/typecheck.sh
.venv/bin/pytest "$@"
