#!/usr/bin/env bash
# Run the core tests against the oldest versions pyproject.toml allows (the
# dependency floors), in a separate virtual environment (.venv-floors), so that
# a floor that the code outgrew is found here and not by a user.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=.venv-floors
stamp=$venv/.kg-floors-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$0" -nt "$stamp" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    # The floors of [project] dependencies, exactly; then kg itself without resolving again.
    "$venv/bin/python" - <<'PY' > "$venv/floors.txt"
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
for dep in deps:
    name, op, ver = re.match(r"([A-Za-z0-9_.-]+)\s*(>=|==)\s*([^,;\s]+)", dep).groups()
    print(f"{name}=={ver}")
PY
    "$venv/bin/python" -m pip install -q -r "$venv/floors.txt" pytest hypothesis
    "$venv/bin/python" -m pip install -q --no-deps -e .
    touch "$stamp"
fi
echo "floors: $(tr '\n' ' ' < "$venv/floors.txt")"
# The core: parse, build, RDF out and back, the incremental cache; no extras needed.
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider -o addopts="" \
    tests/test_parse.py tests/test_pipeline.py tests/test_truth.py tests/test_paths.py tests/test_read.py "$@"
