#!/usr/bin/env bash
# Create .venv (if needed) and install compat with its test extra into it. Sourced by the
# other scripts; needs only python3 with venv + pip and access to PyPI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
VENV_PY="$ROOT/.venv/bin/python"
stamp="$ROOT/.venv/.compat-installed"
# Reinstall only when pyproject.toml changed since the last install (keeps reruns fast).
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  "$VENV_PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV_PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test]"
  # python-twitter-tools and python-twitter are both the import package "twitter": the former
  # lives apart, for subprocesses started with PYTHONPATH=.venv/ptt (tests/_support/ptt.py)
  "$VENV_PY" -m pip install --quiet --disable-pip-version-check --no-deps --upgrade \
    --target "$ROOT/.venv/ptt" "twitter==1.19.6"
  touch "$stamp"
fi
