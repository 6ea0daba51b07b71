#!/usr/bin/env bash
# mypy --strict on the library packages. mypy cannot follow setuptools' editable-install finder, so it
# reads the packages through a throw-away tree build/mypy/ikg/{graph,ingest,search} of symlinks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=build/mypy
mkdir -p "$tree/ikg"
for pkg in graph ingest search cli app analysis web; do ln -sfn "$root/$pkg" "$tree/ikg/$pkg"; done
cd "$tree"
"$root/.venv/bin/mypy" --strict --config-file "$root/pyproject.toml" --cache-dir "$root/.mypy_cache" \
  -p ikg.graph -p ikg.ingest -p ikg.search -p ikg.app -p ikg.analysis -p ikg.web
