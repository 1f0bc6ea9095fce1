#!/usr/bin/env bash
# Set up everything kg needs on a fresh Debian machine: system packages, a
# virtual environment in .venv, and kg with its extras.  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=${KG_SYSTEM_PACKAGES:-chromium raptor2-utils virtuoso-opensource}
missing=()
for pkg in $want_system; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$python" -m venv .venv
fi
stamp=.venv/.kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing kg and its test extras into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    # compat: a path entry for the checkout rather than an import hook, so that from the folder that holds a
    # checkout named kg, "import kg" still finds the package rather than that folder (a namespace package)
    .venv/bin/python -m pip install -q -e ".[test]" --config-settings editable_mode=compat
    touch "$stamp"
fi
