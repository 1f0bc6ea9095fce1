#!/usr/bin/env bash
# The whole test suite: the static gates (mypy --strict on kg, ruff), then unit
# and property tests, doctests, golden files, browser tests in Debian's
# chromium, executed notebooks.  Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0
echo "test: mypy --strict (config in pyproject.toml)"
.venv/bin/python -m mypy
echo "test: ruff check kg tests benchmarks scripts notebooks conftest.py"
.venv/bin/python -m ruff check kg tests benchmarks scripts notebooks conftest.py
# loadgroup: tests marked with one xdist_group (the Dask cluster's) run in one process; the rest as usual
.venv/bin/python -m pytest -n 2 --dist loadgroup -q "$@"
# Once more, the core tests against the oldest versions pyproject.toml allows (skipped when
# the call names tests of its own, e.g. `scripts/test.sh tests/test_x.py`).
if [ $# -eq 0 ]; then
    echo "test: the core tests at the dependency floors (scripts/floors.sh)"
    bash scripts/floors.sh
fi
