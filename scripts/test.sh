#!/usr/bin/env bash
# The whole test suite: unit and property tests, doctests, golden files,
# browser tests in Debian's chromium, executed notebooks.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0
exec .venv/bin/python -m pytest -n 2 -q "$@"
